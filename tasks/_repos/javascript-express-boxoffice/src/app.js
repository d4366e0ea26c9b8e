'use strict';

const express = require('express');
const morgan = require('morgan');

const { VenueRepository } = require('./repositories/venueRepository');
const { EventRepository } = require('./repositories/eventRepository');
const { BookingRepository } = require('./repositories/bookingRepository');
const { VenueService } = require('./services/venueService');
const { EventService } = require('./services/eventService');
const { BookingService } = require('./services/bookingService');
const { venueController } = require('./controllers/venueController');
const { eventController } = require('./controllers/eventController');
const { bookingController } = require('./controllers/bookingController');
const { healthController } = require('./controllers/healthController');
const { apiRouter } = require('./routes');
const { notFound, errorHandler } = require('./middleware/errorHandler');

/** Wires repositories -> services -> controllers -> routes around one store. */
function createApp({ store, config }) {
  const venues = new VenueRepository(store);
  const events = new EventRepository(store);
  const bookings = new BookingRepository(store);

  const venueService = new VenueService({ venues });
  const eventService = new EventService({ events, venues, bookings });
  const bookingService = new BookingService({
    bookings, events, maxTicketsPerCustomer: config.maxTicketsPerCustomer,
  });

  const controllers = {
    health: healthController({ store, startedAt: Date.now() }),
    venues: venueController({ venueService }),
    events: eventController({ eventService }),
    bookings: bookingController({ bookingService }),
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (config.requestLog) app.use(morgan('tiny'));
  app.use(express.json({ limit: '64kb' }));
  app.use(apiRouter({ controllers }));
  app.use(notFound);
  app.use(errorHandler);
  return app;
}

module.exports = { createApp };
