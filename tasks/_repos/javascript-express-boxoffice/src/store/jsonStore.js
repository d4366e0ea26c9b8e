'use strict';

const fs = require('node:fs/promises');
const path = require('node:path');

const COLLECTIONS = ['venues', 'events', 'bookings'];

/**
 * All data lives in memory and is written to one JSON file after every change.
 *
 * Node runs request handlers on one thread, so a service that reads, checks and mutates the
 * collections without awaiting in between is atomic. `persist()` snapshots the data and queues
 * the write (temp file + rename), so concurrent writes never interleave.
 */
class JsonStore {
  constructor(file) {
    this.file = file;
    this.data = { sequences: {} };
    for (const name of COLLECTIONS) {
      this.data[name] = [];
      this.data.sequences[name] = 0;
    }
    this.pending = Promise.resolve();
  }

  static async open(file) {
    const store = new JsonStore(file || null);
    if (store.file) {
      await fs.mkdir(path.dirname(store.file), { recursive: true });
      try {
        const loaded = JSON.parse(await fs.readFile(store.file, 'utf8'));
        for (const name of COLLECTIONS) {
          store.data[name] = Array.isArray(loaded[name]) ? loaded[name] : [];
          store.data.sequences[name] = (loaded.sequences && loaded.sequences[name]) || 0;
        }
      } catch (err) {
        if (err.code !== 'ENOENT') throw new Error(`cannot read ${store.file}: ${err.message}`);
      }
    }
    return store;
  }

  collection(name) {
    if (!COLLECTIONS.includes(name)) throw new Error(`unknown collection ${name}`);
    return this.data[name];
  }

  nextId(name) {
    this.data.sequences[name] += 1;
    return this.data.sequences[name];
  }

  persist() {
    if (!this.file) return Promise.resolve();
    const snapshot = JSON.stringify(this.data);
    const tmp = `${this.file}.tmp`;
    this.pending = this.pending
      .catch(() => {})
      .then(async () => {
        await fs.writeFile(tmp, snapshot, 'utf8');
        await fs.rename(tmp, this.file);
      });
    return this.pending;
  }

  async close() {
    await this.pending.catch(() => {});
  }
}

module.exports = { JsonStore };
