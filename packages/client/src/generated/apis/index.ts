/* tslint:disable */
/* eslint-disable */
export * from './AdminApi';
export * from './ExecuteApi';
export * from './OperationsApi';
export * from './ResultApi';
export * from './TokenApi';
