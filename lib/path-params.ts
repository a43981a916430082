// Route params read from the path literal, with find-my-way's syntax: `/users/:id`, several
// params in one segment (`/:from-:to`, `/:file.:ext`), a regexp after a param (`/:id(^\d+$)`),
// an optional last param (`/:id?`), an escaped colon (`/a::b`) and the wildcard `*`.

// Characters that end a param name.
type NameEnd = '-' | '.' | '(' | ')' | '?' | ':' | '/' | ';' | ',' | '*'

type TakeName<S extends string, Name extends string = ''> =
  S extends `${infer C}${infer Rest}`
    ? C extends NameEnd ? [Name, S] : TakeName<Rest, `${Name}${C}`>
    : [Name, '']

type SkipPattern<S extends string> = S extends `(${string})${infer Rest}` ? SkipPattern<Rest> : S

type ParamsOf<S extends string> =
  S extends `${string}:${infer After}`
    ? After extends `:${infer Escaped}`
      ? ParamsOf<Escaped>
      : TakeName<After> extends [infer Name extends string, infer Rest extends string]
        ? Rest extends `?${infer Tail}`
          ? { [K in Name]?: string } & ParamsOf<Tail>
          : { [K in Name]: string } & ParamsOf<SkipPattern<Rest>>
        : never
    : S extends `${string}*${string}` ? { '*': string } : {}

/**
 * The params object of a route path: `PathParams<'/users/:id'>` is `{ id: string }`. A path that
 * is not a literal type gives `unknown`, which leaves Fastify's own typing in charge.
 */
export type PathParams<Path extends string> =
  string extends Path ? unknown : { [K in keyof ParamsOf<Path>]: ParamsOf<Path>[K] }
