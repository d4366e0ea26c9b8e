'use strict';

function healthController({ db, startedAt }) {
  return {
    async health(req, res) {
      await db.get('SELECT 1 AS ok');
      res.json({
        status: 'ok',
        service: 'stockroom',
        uptime_seconds: Math.round((Date.now() - startedAt) / 1000),
      });
    },
  };
}

module.exports = { healthController };
