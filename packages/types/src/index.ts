// The package is its generated types: nothing here runs.
export type * from './generated/autofacilitate';
