/** The gamma function's relatives live in `core/gamma.ts` (evaluate/'s Student t uses them too); re-exported for monitor's statistics. */
export { gammaQ, logGamma } from "../../core/index.js";
