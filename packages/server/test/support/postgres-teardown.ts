// Jest's global teardown: stops the cluster of a run on PostgreSQL, if its set-up started one.
export { stopTestCluster as default } from './postgres-setup';
