'use strict';

function bookingController({ bookingService }) {
  return {
    async create(req, res) {
      const booking = await bookingService.create(req.valid.params.id, req.valid.body);
      res.status(201).location(`/bookings/${booking.id}`).json(booking);
    },

    async listForEvent(req, res) {
      res.json(await bookingService.listForEvent(req.valid.params.id, req.valid.query));
    },

    async get(req, res) {
      res.json(await bookingService.get(req.valid.params.id));
    },

    async cancel(req, res) {
      res.json(await bookingService.cancel(req.valid.params.id));
    },

    async checkIn(req, res) {
      res.json(await bookingService.checkIn(req.valid.body.code));
    },

    async sales(req, res) {
      res.json(await bookingService.sales(req.valid.params.id));
    },
  };
}

module.exports = { bookingController };
