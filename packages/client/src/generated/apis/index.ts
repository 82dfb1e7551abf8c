/* tslint:disable */
/* eslint-disable */
export * from './ExecuteApi';
export * from './ResultApi';
export * from './TokenApi';
