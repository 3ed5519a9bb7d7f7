/** The slice of a pino logger the connector uses; tests pass a silent one. */
export interface ConnectorLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export const silentLogger: ConnectorLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined };
