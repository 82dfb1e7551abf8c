/* tslint:disable */
/* eslint-disable */
export * from './AccessToken';
export * from './AdminApiKeyUsage';
export * from './AdminDelivery';
export * from './AdminDeliveryAttempt';
export * from './AdminDeliveryEvent';
export * from './AdminOperationUsage';
export * from './AdminRecentOutcomes';
export * from './AdminService';
export * from './AdminServiceList';
export * from './AdminTimelineEntry';
export * from './AdminTrigger';
export * from './AdminTriggerEvent';
export * from './AdminTriggerPage';
export * from './AdminTriggerSummary';
export * from './AdminUsage';
export * from './DeliveryState';
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
