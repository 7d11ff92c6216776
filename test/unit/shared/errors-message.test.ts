// Error messages for people carry no internal field or method names (issue 10, point 8).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldLabel, issuesMessage } from '../../../shared/contract/errors';

test('own messages stand alone; zod defaults get the field in words', () => {
  assert.equal(issuesMessage([{ path: 'datasetId', message: 'No dataset "nope" in this project (give its id or exact name)' }]), 'No dataset "nope" in this project (give its id or exact name)');
  assert.equal(issuesMessage([{ path: 'settings.maxSteps', message: 'Too small: expected number to be >0' }]), 'max steps: Too small: expected number to be >0');
  assert.equal(issuesMessage([{ path: 'name', message: 'A project needs a name' }, { path: 'path', message: 'Invalid input: expected string, received number' }]), 'A project needs a name; path: Invalid input: expected string, received number');
  assert.equal(fieldLabel('spec.negatives.margin'), 'margin');
  assert.equal(fieldLabel('regionSets.0.id'), 'id');
  assert.equal(fieldLabel('modelId'), 'model');
});
