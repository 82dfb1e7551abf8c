/** How many calls one API key made to one operation. */
export interface UsageCount {
  orgId: string;
  apiKey: string;
  operationId: string;
  count: number;
  lastUsedAt: number;
}
