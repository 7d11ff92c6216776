// The event bus services publish on; each transport forwards it to its clients
// (Electron IPC to the window, WebSocket in browser mode, a progress bar in the CLI).
import { EventEmitter } from 'node:events';
import type { EventName, EventPayload } from '../../shared/contract';

export class EventBus {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(100);
  }
  emit<E extends EventName>(channel: E, payload: EventPayload<E>): void {
    this.emitter.emit(channel, payload);
    this.emitter.emit('*', channel, payload);
  }
  on<E extends EventName>(channel: E, listener: (payload: EventPayload<E>) => void): () => void {
    this.emitter.on(channel, listener);
    return () => this.emitter.off(channel, listener);
  }
  /** Every event on every channel: what transports subscribe to. */
  onAny(listener: (channel: EventName, payload: unknown) => void): () => void {
    this.emitter.on('*', listener);
    return () => this.emitter.off('*', listener);
  }
}
