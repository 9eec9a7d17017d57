/**
 * Ownership is recorded in AWS tags, not in local state: any machine running hako sees the same truth.
 * `hako:app` names the app that owns a resource (target group, listener, rule); `hako:created-by` names the app
 * that created a shared resource (a load balancer), which alone may reconcile or delete it.
 */
export const OWNER_TAG = 'hako:app';
export const CREATED_BY_TAG = 'hako:created-by';
