/* tslint:disable */
/* eslint-disable */
export * from './AccessToken';
export * from './ErrorDetail';
export * from './ErrorResponse';
export * from './Health';
export * from './OauthError';
export * from './TriggerCallback';
export * from './TriggerOutcome';
export * from './TriggerParameter';
export * from './TriggerProgress';
export * from './TriggerResult';
export * from './TriggerState';
