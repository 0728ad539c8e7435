/** A connection URL as it may be shown in an error or a log: its user and password replaced by "…". */
export const withoutCredentials = (url: string): string => url.replace(/\/\/[^@/]*@/, '//…@');
