/**
 * The portal's property definitions and groups, and the validation HubSpot applies to a
 * write: unknown property, enumeration value not among the options, malformed number or
 * date, read-only value.
 */
import { OWNERS } from '../dataset';
import {
  LIFECYCLE_GROUP, STANDARD_GROUPS, definition, lifecycleDefinitions, portalDefinitions,
  type PropertyDefinition, type PropertyGroup, type PropertyType,
} from './property-definitions';

/** One invalid value, in the shape HubSpot embeds in its VALIDATION_ERROR message. */
export interface PropertyValueError {
  isValid: false;
  message: string;
  error: 'PROPERTY_DOESNT_EXIST' | 'INVALID_OPTION' | 'INVALID_INTEGER' | 'INVALID_DATE' | 'READ_ONLY_VALUE' | 'INVALID_LONG';
  name: string;
  localizedErrorMessage: string;
}

const DATE_PATTERN = /^(\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?|\d{1,15})$/;

export class PropertyRegistry {
  private readonly defs = new Map<string, PropertyDefinition>();
  private readonly groups = new Map<string, PropertyGroup>();

  constructor(withLifecycleProperties: boolean) {
    for (const d of portalDefinitions(OWNERS.map((o) => o.id))) this.defs.set(d.name, d);
    for (const g of STANDARD_GROUPS) this.groups.set(g.name, g);
    if (withLifecycleProperties) {
      this.groups.set(LIFECYCLE_GROUP.name, { ...LIFECYCLE_GROUP });
      for (const d of lifecycleDefinitions()) this.defs.set(d.name, d);
    }
  }

  get(name: string): PropertyDefinition | undefined {
    return this.defs.get(name);
  }

  has(name: string): boolean {
    return this.defs.has(name);
  }

  list(): PropertyDefinition[] {
    return [...this.defs.values()];
  }

  listGroups(): PropertyGroup[] {
    return [...this.groups.values()];
  }

  hasGroup(name: string): boolean {
    return this.groups.has(name);
  }

  addGroup(group: PropertyGroup): void {
    this.groups.set(group.name, group);
  }

  /** Adds a custom property; the caller checked the name is free and the group exists. */
  create(input: { name: string; label?: string; type: PropertyType; fieldType?: string; groupName: string; description?: string; options?: Array<{ label?: string; value: string; displayOrder?: number; hidden?: boolean }> }): PropertyDefinition {
    const now = new Date().toISOString();
    const created = definition([input.name, input.type, input.groupName, { label: input.label ?? input.name, ...(input.fieldType ? { fieldType: input.fieldType } : {}) }], false, now);
    created.description = input.description ?? '';
    created.options = (input.options ?? []).map((o, i) => ({ label: o.label ?? o.value, value: o.value, displayOrder: o.displayOrder ?? i, hidden: o.hidden ?? false }));
    this.defs.set(created.name, created);
    return created;
  }

  /**
   * Errors of one record's write (empty when valid). `allowReadOnly` lets the simulator's own
   * bookkeeping through; API writes never set it.
   */
  validate(properties: Record<string, unknown>, allowReadOnly = false): PropertyValueError[] {
    const errors: PropertyValueError[] = [];
    for (const [name, raw] of Object.entries(properties)) {
      const def = this.defs.get(name);
      const fail = (error: PropertyValueError['error'], message: string): void => {
        errors.push({ isValid: false, message, error, name, localizedErrorMessage: message });
      };
      if (!def) {
        fail('PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`);
        continue;
      }
      if (def.modificationMetadata.readOnlyValue && !allowReadOnly) {
        fail('READ_ONLY_VALUE', `${name} is a read only property; its value cannot be set.`);
        continue;
      }
      // Clearing a value (empty string or null) is always allowed.
      if (raw === null || raw === '') continue;
      const value = String(raw);
      if (def.type === 'enumeration' && !def.options.some((o) => o.value === value)) {
        fail('INVALID_OPTION', `${value} was not one of the allowed options: [${def.options.map((o) => o.value).join(', ')}]`);
      } else if (def.type === 'number' && !Number.isFinite(Number(value))) {
        fail('INVALID_INTEGER', `${value} is not a valid number`);
      } else if ((def.type === 'datetime' || def.type === 'date') && !DATE_PATTERN.test(value)) {
        fail('INVALID_DATE', `${value} is not a valid date or epoch milliseconds value`);
      }
    }
    return errors;
  }
}

/**
 * Stores a written value as HubSpot echoes it back: datetimes given as epoch ms come back as
 * ISO instants, booleans and numbers as strings.
 */
export function normaliseValue(def: PropertyDefinition | undefined, raw: unknown): string | null {
  if (raw === null || raw === undefined) return null;
  const value = String(raw);
  if (value === '') return '';
  if (def && (def.type === 'datetime' || def.type === 'date') && /^\d{1,15}$/.test(value)) {
    const iso = new Date(Number(value)).toISOString();
    return def.type === 'date' ? iso.slice(0, 10) : iso;
  }
  return value;
}
