/** Non-render state of page and component instances, kept out of `data` (setData only carries what renders). */
const states = new WeakMap<object, object>();

/** The instance's private state, created by `init` on first use. */
export function stateOf<S extends object>(instance: object, init: () => S): S {
  let state = states.get(instance) as S | undefined;
  if (!state) {
    state = init();
    states.set(instance, state);
  }
  return state;
}
