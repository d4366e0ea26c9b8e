'use strict';

function eventController({ eventService }) {
  return {
    async create(req, res) {
      const event = await eventService.create(req.valid.body);
      res.status(201).location(`/events/${event.id}`).json(event);
    },

    async list(req, res) {
      res.json(await eventService.list(req.valid.query));
    },

    async get(req, res) {
      res.json(await eventService.get(req.valid.params.id));
    },

    async update(req, res) {
      res.json(await eventService.update(req.valid.params.id, req.valid.body));
    },

    async publish(req, res) {
      res.json(await eventService.publish(req.valid.params.id));
    },

    async cancel(req, res) {
      res.json(await eventService.cancel(req.valid.params.id));
    },
  };
}

module.exports = { eventController };
