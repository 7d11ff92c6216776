// The event bus lives in main/node (the job runner, below api/, publishes on it); re-exported for the services.
export { EventBus } from '../node/bus';
