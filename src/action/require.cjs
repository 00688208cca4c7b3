// `createRequire` for the bundles (the action, and the published CLI in dist/pkg), in place of
// node:module's for src/schema/load.ts: a bundle has no node_modules beside it, so the modules a
// validator may require (the build's precompiled validators, their formats and ajv's runtime
// helpers) are served from the bundle by name. Anything else is not found, as Node would say of a missing module.
"use strict";

const modules = {
  "ajv/package.json": () => require("ajv/package.json"),
  "ajv/dist/runtime/equal": () => require("ajv/dist/runtime/equal"),
  "ajv/dist/runtime/ucs2length": () => require("ajv/dist/runtime/ucs2length"),
  "ajv/dist/runtime/uri": () => require("ajv/dist/runtime/uri"),
  "ajv/dist/runtime/validation_error": () => require("ajv/dist/runtime/validation_error"),
  "ajv-formats/dist/formats": () => require("ajv-formats/dist/formats"),
  "./formats.cjs": () => require("../../dist/schemas/formats.cjs"),
  "config.cjs": () => require("../../dist/schemas/config.cjs"),
  "incident.cjs": () => require("../../dist/schemas/incident.cjs"),
  "problem.cjs": () => require("../../dist/schemas/problem.cjs"),
};

/** The build's validators are required by absolute path (dist/schemas/<name>.cjs). */
const COMPILED = /[\\/]dist[\\/]schemas[\\/]((?:config|incident|problem)\.cjs)$/;

function createRequire(_from) {
  return function require(id) {
    const compiled = COMPILED.exec(String(id));
    const key = compiled ? compiled[1] : String(id);
    if (!Object.hasOwn(modules, key)) {
      const err = new Error(`Cannot find module '${id}' in the bundle`);
      err.code = "MODULE_NOT_FOUND";
      throw err;
    }
    return modules[key]();
  };
}

module.exports = { createRequire };
