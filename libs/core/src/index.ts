export * from './errors/domain-error';
export * from './money/money';
export * from './dates/local-date';
export * from './context/org-context';
export * from './roles/roles';
export * from './ids/ids';
export * from './text/spreadsheet';
export * from './text/french-print';
