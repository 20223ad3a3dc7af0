// ESLint for the rules that catch bugs the type checker does not: floating and misused promises,
// unused code, non-exhaustive switches, throwing non-errors. No formatting or taste rules: a
// finding here should be a defect or dead code, never churn. Type-aware: over tsconfig.test.json,
// and over console/tsconfig.json for the web console's browser code.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

const typeAwareRules = {
  // STYLE.md: no floating promises. A promise must be awaited, returned, or marked `void`.
  "@typescript-eslint/no-floating-promises": "error",
  // A promise where a boolean or a void callback is expected (if (promise), emitter.on(…, async)).
  "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { arguments: false, attributes: false } }],
  "@typescript-eslint/await-thenable": "error",
  // `return promise` inside try/catch skips the catch: await it there.
  "@typescript-eslint/return-await": ["error", "in-try-catch"],
  "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true }],
  "@typescript-eslint/no-unused-expressions": "error",
  // A new enum member (a mode, a status) must be handled wherever the enum is switched on.
  "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false }],
  // Literals and plain objects lose the stack; passing on a caught `unknown` is fine.
  "@typescript-eslint/only-throw-error": ["error", { allowThrowingUnknown: true, allowThrowingAny: true }],
  "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingUnknown: true, allowThrowingAny: true }],
  // "[object Object]" in a message or a key.
  "@typescript-eslint/no-base-to-string": "error",
  "@typescript-eslint/no-for-in-array": "error",
  "@typescript-eslint/no-implied-eval": "error",
  "@typescript-eslint/no-array-delete": "error",
  "@typescript-eslint/no-duplicate-enum-values": "error",
  "@typescript-eslint/no-unsafe-declaration-merging": "error",
  "@typescript-eslint/no-misused-new": "error",
  // The TypeScript versions of core rules that misfire on types.
  "no-unused-vars": "off",
  "no-unused-expressions": "off",
  "no-implied-eval": "off",
  "no-throw-literal": "off",
  "prefer-promise-reject-errors": "off",
};

export default defineConfig(
  {
    // gen/ and examples/ts/gen/ are buf's output (checked for drift instead); the rest is built, installed or not ours.
    ignores: ["gen/**", "examples/ts/gen/**", "dist/**", "node_modules/**", ".bin/**", ".concord/**", "coverage/**", "examples/{go,java,python}/**"],
  },
  {
    files: ["**/*.{js,mjs}"],
    ...js.configs.recommended,
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
  {
    files: ["**/*.ts"],
    // The console is browser code with its own tsconfig (DOM, JSX): the next block.
    ignores: ["console/**"],
    extends: [js.configs.recommended, tseslint.configs.base, tseslint.configs.eslintRecommended],
    languageOptions: {
      parserOptions: { project: ["./tsconfig.test.json"], tsconfigRootDir: import.meta.dirname },
    },
    rules: typeAwareRules,
  },
  {
    files: ["console/**/*.{ts,tsx}"],
    extends: [js.configs.recommended, tseslint.configs.base, tseslint.configs.eslintRecommended],
    languageOptions: {
      parserOptions: { project: ["./console/tsconfig.json"], tsconfigRootDir: import.meta.dirname, ecmaFeatures: { jsx: true } },
    },
    rules: typeAwareRules,
  },
);
