'use strict';

function healthController({ store, startedAt }) {
  return {
    async health(req, res) {
      res.json({
        status: 'ok',
        service: 'boxoffice',
        storage: store.file ? 'file' : 'memory',
        uptime_seconds: Math.round((Date.now() - startedAt) / 1000),
      });
    },
  };
}

module.exports = { healthController };
