// @unum/protos: the generated wire types live under subpaths (@unum/protos/cluster, /dsm, /stats, /dsm-bench);
// the package root holds the two hand-written helpers every speaker uses.
export { dispatch, type Case, type Handlers } from './dispatch.js';
export { wireJson } from './json.js';
