'use strict';

/**
 * Collection access over the JsonStore. Reads return copies, so callers change stored records
 * only through insert()/update(); call `persist()` once a service operation is complete.
 */
class BaseRepository {
  constructor(store, collection) {
    this.store = store;
    this.name = collection;
  }

  get items() {
    return this.store.collection(this.name);
  }

  findById(id) {
    const found = this.items.find((item) => item.id === id);
    return found ? structuredClone(found) : undefined;
  }

  filter(predicate) {
    return this.items.filter(predicate).map((item) => structuredClone(item));
  }

  insert(fields) {
    const now = new Date().toISOString();
    const record = { id: this.store.nextId(this.name), ...fields, created_at: now };
    this.items.push(record);
    return structuredClone(record);
  }

  update(id, changes) {
    const record = this.items.find((item) => item.id === id);
    if (!record) throw new Error(`${this.name} ${id} does not exist`);
    Object.assign(record, structuredClone(changes));
    return structuredClone(record);
  }

  persist() {
    return this.store.persist();
  }
}

module.exports = { BaseRepository };
