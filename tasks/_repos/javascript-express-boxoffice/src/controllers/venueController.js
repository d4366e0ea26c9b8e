'use strict';

function venueController({ venueService }) {
  return {
    async create(req, res) {
      const venue = await venueService.create(req.valid.body);
      res.status(201).location(`/venues/${venue.id}`).json(venue);
    },

    async list(req, res) {
      res.json(await venueService.list(req.valid.query));
    },

    async get(req, res) {
      res.json(await venueService.get(req.valid.params.id));
    },
  };
}

module.exports = { venueController };
