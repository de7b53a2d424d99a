/**
 * A REST API object as a store holds it: the same fields, with the
 * `date-time` ones (`K`) as Dates, which JSON turns back into the strings
 * the API documents.
 */
export type WithDates<T, K extends keyof T> = Omit<T, K> & { [P in K]: Date };
