// opencc-js ships its dictionary modules without type declarations; each default-exports one dictionary.
declare module 'opencc-js/dict/*' {
  import type { DictLike } from 'opencc-js/core';
  const dict: DictLike;
  export default dict;
}
