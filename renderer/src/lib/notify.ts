// One look for the outcome of every action: green when it worked, red with the API's message when not.
// A success clears the failures shown before it (they described an attempt the user has since got
// right, and a stale red toast would sit over the page); failures stay until closed or replaced.
import { notifications } from '@mantine/notifications';
import type { ApiError } from '../../../shared/contract';

const failures = new Set<string>();

export function notifySuccess(title: string, message: string): void {
  for (const id of failures) notifications.hide(id);
  failures.clear();
  notifications.show({ color: 'teal', title, message, autoClose: 4000 });
}

export function notifyFailure(title: string, error: ApiError): void {
  // One toast per kind of failure: a second failed try replaces the first instead of stacking.
  const id = `failure:${title}`;
  notifications.hide(id);
  failures.add(id);
  notifications.show({ id, color: 'red', title, message: error.message, autoClose: 8000, onClose: () => failures.delete(id) });
}
