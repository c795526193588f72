/** Every property and element read-only, all the way down. */
export type DeepReadonly<T> =
  T extends ReadonlyArray<infer Item> ? ReadonlyArray<DeepReadonly<Item>>
    : T extends object ? { readonly [Key in keyof T]: DeepReadonly<T[Key]> }
      : T

/**
 * Every property optional, all the way down; arrays are given whole. An `undefined` property
 * counts as not given, so command-line flags that were not used can be passed as they are.
 */
export type DeepPartial<T> =
  T extends ReadonlyArray<infer Item> ? ReadonlyArray<Item>
    : T extends object ? { [Key in keyof T]?: DeepPartial<T[Key]> | undefined }
      : T
