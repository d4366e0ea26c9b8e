'use strict';

const sqlite3 = require('sqlite3');

/**
 * Promise wrapper around one node-sqlite3 connection.
 *
 * Writes that must be atomic go through `transaction()`, which queues callers so that only one
 * transaction runs on the connection at a time (the connection is shared by every request).
 */
class Database {
  constructor(handle) {
    this.handle = handle;
    this.tail = Promise.resolve();
  }

  static open(filename) {
    return new Promise((resolve, reject) => {
      const handle = new sqlite3.Database(filename, (err) => {
        if (err) reject(err);
        else resolve(new Database(handle));
      });
    });
  }

  run(sql, params = []) {
    return new Promise((resolve, reject) => {
      this.handle.run(sql, params, function onRun(err) {
        if (err) reject(err);
        else resolve({ lastID: this.lastID, changes: this.changes });
      });
    });
  }

  get(sql, params = []) {
    return new Promise((resolve, reject) => {
      this.handle.get(sql, params, (err, row) => (err ? reject(err) : resolve(row)));
    });
  }

  all(sql, params = []) {
    return new Promise((resolve, reject) => {
      this.handle.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows)));
    });
  }

  exec(sql) {
    return new Promise((resolve, reject) => {
      this.handle.exec(sql, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** Runs `work(db)` inside BEGIN IMMEDIATE / COMMIT, rolling back if it throws. */
  async transaction(work) {
    const previous = this.tail;
    let release;
    this.tail = new Promise((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      await this.run('BEGIN IMMEDIATE');
      try {
        const result = await work(this);
        await this.run('COMMIT');
        return result;
      } catch (err) {
        await this.run('ROLLBACK').catch(() => {});
        throw err;
      }
    } finally {
      release();
    }
  }

  close() {
    return new Promise((resolve, reject) => {
      this.handle.close((err) => (err ? reject(err) : resolve()));
    });
  }
}

module.exports = { Database };
