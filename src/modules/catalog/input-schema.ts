import { badInput } from "../../core/errors";
import { InputFieldType } from "./catalog.enums";

/** One field a buyer fills in (stored as JSON on the product). */
export interface InputField {
  key: string;
  label: string;
  type: InputFieldType;
  required: boolean;
  /** a JavaScript regular expression the whole value must match */
  pattern?: string | null;
  /** allowed values for SELECT */
  options?: { value: string; label: string }[] | null;
  placeholder?: string | null;
}

const KEY = /^[a-zA-Z][a-zA-Z0-9_]{0,39}$/;
const PLACEHOLDER = /\{([^{}]*)\}/g;
const PHONE = /^(?:\+?62|0)8[1-9][0-9]{6,11}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_VALUE_LENGTH = 200;

/** Checks an admin-written schema and template; throws BAD_USER_INPUT naming the problem. */
export function validateSchemaDefinition(fields: InputField[], template: string | null): void {
  const keys = new Set<string>();
  for (const field of fields) {
    if (!KEY.test(field.key)) throw badInput(`Input key "${field.key}" must be letters, digits or _`, { field: "inputSchema" });
    if (keys.has(field.key)) throw badInput(`Input key "${field.key}" is used twice`, { field: "inputSchema" });
    keys.add(field.key);
    if (!field.label.trim()) throw badInput(`Input "${field.key}" needs a label`, { field: "inputSchema" });
    if (field.pattern) {
      try {
        new RegExp(field.pattern);
      } catch {
        throw badInput(`Input "${field.key}" has an invalid pattern`, { field: "inputSchema" });
      }
    }
    if (field.type === InputFieldType.SELECT && !(field.options && field.options.length > 0)) {
      throw badInput(`Input "${field.key}" is a SELECT and needs options`, { field: "inputSchema" });
    }
  }
  if (template) {
    for (const [, key] of template.matchAll(PLACEHOLDER)) {
      if (!keys.has(key)) throw badInput(`customer_no template names unknown input "{${key}}"`, { field: "customerNoTemplate" });
    }
  }
}

/**
 * Validates buyer inputs against the schema; returns the normalised values
 * (trimmed; phone numbers in 08… form). Unknown keys are refused so nothing
 * unexpected reaches a supplier.
 */
export function validateInputs(fields: InputField[], inputs: Record<string, string>): Record<string, string> {
  const known = new Set(fields.map((field) => field.key));
  for (const key of Object.keys(inputs)) {
    if (!known.has(key)) throw badInput(`Unknown input "${key}"`, { field: key });
  }
  const values: Record<string, string> = {};
  for (const field of fields) {
    const given: unknown = inputs[field.key] ?? "";
    if (typeof given !== "string") throw badInput(`${field.label} must be text`, { field: field.key });
    const raw = given.trim();
    if (raw === "") {
      if (field.required) throw badInput(`${field.label} is required`, { field: field.key });
      continue;
    }
    if (raw.length > MAX_VALUE_LENGTH) throw badInput(`${field.label} is too long`, { field: field.key });
    const value = normalise(field, raw);
    if (field.pattern && !new RegExp(`^(?:${field.pattern})$`).test(value)) {
      throw badInput(`${field.label} is not valid`, { field: field.key });
    }
    values[field.key] = value;
  }
  return values;
}

function normalise(field: InputField, raw: string): string {
  switch (field.type) {
    case InputFieldType.NUMBER:
      if (!/^[0-9]+$/.test(raw)) throw badInput(`${field.label} must contain digits only`, { field: field.key });
      return raw;
    case InputFieldType.PHONE: {
      const compact = raw.replace(/[\s-]/g, "");
      if (!PHONE.test(compact)) throw badInput(`${field.label} is not an Indonesian mobile number`, { field: field.key });
      return compact.replace(/^\+?62/, "0");
    }
    case InputFieldType.EMAIL:
      if (!EMAIL.test(raw)) throw badInput(`${field.label} is not an email address`, { field: field.key });
      return raw.toLowerCase();
    case InputFieldType.SELECT:
      if (!field.options?.some((option) => option.value === raw)) {
        throw badInput(`${field.label} must be one of the listed options`, { field: field.key });
      }
      return raw;
    default:
      return raw;
  }
}

/** Fills "{key}" placeholders; without a template the first input is the customer number. */
export function buildCustomerNo(template: string | null, fields: InputField[], values: Record<string, string>): string | null {
  if (template) return template.replace(PLACEHOLDER, (_match, key: string) => values[key] ?? "");
  const first = fields[0];
  return first ? values[first.key] ?? null : null;
}
