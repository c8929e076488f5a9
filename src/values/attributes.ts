/** Structured attributes of a call or a binding: any values, normalised at encode time. */
export type Attributes = Readonly<Record<string, unknown>>;
