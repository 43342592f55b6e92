/**
 * mingo's subpath exports ("mingo/core", "mingo/operators/query", …) resolve at run time through its
 * package exports; this project's `moduleResolution: node` cannot see them, so their typings are mapped here.
 */
declare module 'mingo/core' {
  export * from 'mingo/types/core/index';
}
declare module 'mingo/query' {
  export * from 'mingo/types/query';
}
declare module 'mingo/aggregator' {
  export * from 'mingo/types/aggregator';
}
declare module 'mingo/util' {
  export * from 'mingo/types/util/index';
}
declare module 'mingo/operators/query' {
  export * from 'mingo/types/operators/query/index';
}
declare module 'mingo/operators/expression' {
  export * from 'mingo/types/operators/expression/index';
}
declare module 'mingo/operators/pipeline' {
  export * from 'mingo/types/operators/pipeline/index';
}
declare module 'mingo/operators/accumulator' {
  export * from 'mingo/types/operators/accumulator/index';
}
declare module 'mingo/operators/projection' {
  export * from 'mingo/types/operators/projection/index';
}
declare module 'mingo/operators/window' {
  export * from 'mingo/types/operators/window/index';
}
