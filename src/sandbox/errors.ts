/** Binance API errors as the sandbox answers them: `{"code": -1121, "msg": "Invalid symbol."}` + HTTP status. */
export class ApiError extends Error {
  /** What the request inspector may say about it (e.g. the parameters nothing read); never on the wire. */
  facts?: Record<string, string>;

  constructor(
    readonly code: number,
    msg: string,
    readonly httpStatus = 400,
    readonly headers: Record<string, string> = {},
  ) {
    super(msg);
  }

  toJSON(): { code: number; msg: string } {
    return { code: this.code, msg: this.message };
  }
}

export const Errors = {
  unknown: () => new ApiError(-1000, 'An unknown error occurred while processing the request.', 500),
  /** The sandbox's own (Binance has no such case): the journal could not be written, so nothing is acknowledged. */
  notSaved: (reason: string) =>
    new ApiError(
      -1000,
      `The sandbox could not save this request to its data folder (${reason}) and is stopping. It was not acknowledged and is not kept; free disk space and start the sandbox again.`,
      503,
    ),
  tooMuchWeight: (limit: number, retryAfter: number) =>
    new ApiError(
      -1003,
      `Too much request weight used; current limit is ${limit} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.`,
      429,
      { 'Retry-After': String(retryAfter) },
    ),
  banned: (untilMs: number, retryAfter: number) =>
    new ApiError(
      -1003,
      `Way too much request weight used; IP banned until ${untilMs}. Please use WebSocket Streams for live updates to avoid bans.`,
      418,
      {
        'Retry-After': String(retryAfter),
      },
    ),
  tooManyOrders: (limit: number, interval: string, retryAfter: number) =>
    new ApiError(-1015, `Too many new orders; current limit is ${limit} orders per ${interval}.`, 429, {
      'Retry-After': String(retryAfter),
    }),
  timestampAhead: () => new ApiError(-1021, "Timestamp for this request was 1000ms ahead of the server's time."),
  timestampOutside: () => new ApiError(-1021, 'Timestamp for this request is outside of the recvWindow.'),
  badSignature: () => new ApiError(-1022, 'Signature for this request is not valid.'),
  illegalChars: (param: string, range: string) =>
    new ApiError(-1100, `Illegal characters found in parameter '${param}'; legal range is '${range}'.`),
  illegalCharsGeneric: () => new ApiError(-1100, 'Illegal characters found in a parameter.'),
  duplicateParam: () => new ApiError(-1101, 'Duplicate values for a parameter detected.'),
  tooManyParams: () => new ApiError(-1101, 'Too many parameters sent for this endpoint.'),
  mandatory: (param: string) =>
    new ApiError(-1102, `Mandatory parameter '${param}' was not sent, was empty/null, or malformed.`),
  eitherParam: (a: string, b: string) =>
    new ApiError(-1102, `Param '${a}' or '${b}' must be sent, but both were empty/null!`),
  cannotBeGreater: (param: string, limit: string) =>
    new ApiError(-1102, `'${param}' contains unexpected value. Cannot be greater than ${limit}.`),
  malformed: () => new ApiError(-1102, 'A mandatory parameter was not sent, was empty/null, or malformed.'),
  notAllRead: (read: number, sent: number) =>
    new ApiError(-1104, `Not all sent parameters were read; read '${read}' parameter(s) but was sent '${sent}'.`),
  notRequired: (param: string) => new ApiError(-1106, `Parameter '${param}' sent when not required.`),
  badPrecision: (param: string) => new ApiError(-1111, `Parameter '${param}' has too much precision.`),
  invalidTif: () => new ApiError(-1115, 'Invalid timeInForce.'),
  invalidType: () => new ApiError(-1116, 'Invalid orderType.'),
  invalidSide: () => new ApiError(-1117, 'Invalid side.'),
  emptyClientOrderId: () => new ApiError(-1118, 'New client order ID was empty.'),
  invalidSymbol: () => new ApiError(-1121, 'Invalid symbol.'),
  filter: (name: string) => new ApiError(-1013, `Filter failure: ${name}`),
  rejected: (msg: string) => new ApiError(-2010, msg),
  insufficientBalance: () => new ApiError(-2010, 'Account has insufficient balance for requested action.'),
  unknownOrderList: () => new ApiError(-2011, 'Order list does not exist.'),
  unknownOrder: () => new ApiError(-2011, 'Unknown order sent.'),
  noSuchOrder: () => new ApiError(-2013, 'Order does not exist.'),
  orderArchived: () =>
    new ApiError(-2026, 'Order was canceled or expired with no executed qty over 90 days ago and has been archived.'),
  clientOrderIdMismatch: () => new ApiError(-2039, 'Client order ID is not correct for this order ID.'),
  badApiKeyFormat: () => new ApiError(-2014, 'API-key format invalid.', 401),
  rejectedApiKey: () => new ApiError(-2015, 'Invalid API-key, IP, or permissions for action.', 401),
  payloadTooLarge: () => new ApiError(-1101, 'Too many parameters; request body too large.', 413),
};
