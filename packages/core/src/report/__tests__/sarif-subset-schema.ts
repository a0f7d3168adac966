/**
 * The part of the SARIF 2.1.0 JSON schema that `toSarif` emits, written out from the OASIS
 * specification because the official schema file is not available offline here. It keeps the
 * official schema's required properties, enums, minimums, formats and closed property sets
 * (additionalProperties: false), so a misspelt or misplaced property fails as it would there,
 * plus GitHub code scanning's own constraints (ruleId present, non-empty message text,
 * relative URIs without a leading slash when no base is given).
 * If `@microsoft/jest-sarif` or the official schema file is ever added, validate against that too.
 */
const propertyBag = {
  type: 'object',
  properties: { tags: { type: 'array', items: { type: 'string' }, uniqueItems: true } },
};
const message = {
  type: 'object',
  additionalProperties: false,
  properties: {
    text: { type: 'string', minLength: 1 },
    markdown: { type: 'string' },
    id: { type: 'string' },
  },
  required: ['text'],
};
const level = { enum: ['none', 'note', 'warning', 'error'] };

export const sarifSubsetSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  required: ['version', 'runs'],
  properties: {
    $schema: { type: 'string', format: 'uri' },
    version: { const: '2.1.0' },
    runs: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['tool'],
        properties: {
          tool: {
            type: 'object',
            additionalProperties: false,
            required: ['driver'],
            properties: {
              driver: {
                type: 'object',
                additionalProperties: false,
                required: ['name'],
                properties: {
                  name: { type: 'string', minLength: 1 },
                  version: { type: 'string' },
                  semanticVersion: { type: 'string' },
                  informationUri: { type: 'string', format: 'uri' },
                  rules: {
                    type: 'array',
                    uniqueItems: true,
                    items: {
                      type: 'object',
                      additionalProperties: false,
                      required: ['id'],
                      properties: {
                        id: { type: 'string', minLength: 1 },
                        name: { type: 'string' },
                        shortDescription: message,
                        fullDescription: message,
                        help: message,
                        helpUri: { type: 'string', format: 'uri' },
                        defaultConfiguration: {
                          type: 'object',
                          additionalProperties: false,
                          properties: { level, enabled: { type: 'boolean' }, rank: { type: 'number' } },
                        },
                        properties: propertyBag,
                      },
                    },
                  },
                },
              },
            },
          },
          automationDetails: {
            type: 'object',
            additionalProperties: false,
            properties: { id: { type: 'string' }, guid: { type: 'string' }, description: message },
          },
          originalUriBaseIds: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              additionalProperties: false,
              // A base id's uri must be absolute and end with a slash (SARIF 3.14.14).
              properties: {
                uri: { type: 'string', format: 'uri', pattern: '/$' },
                uriBaseId: { type: 'string' },
              },
            },
          },
          invocations: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['executionSuccessful'],
              properties: {
                executionSuccessful: { type: 'boolean' },
                toolExecutionNotifications: {
                  type: 'array',
                  items: {
                    type: 'object',
                    additionalProperties: false,
                    required: ['message'],
                    properties: { message, level },
                  },
                },
              },
            },
          },
          columnKind: { enum: ['utf16CodeUnits', 'unicodeCodePoints'] },
          results: {
            type: 'array',
            maxItems: 25_000,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['message', 'ruleId', 'locations'],
              properties: {
                ruleId: { type: 'string', minLength: 1 },
                ruleIndex: { type: 'integer', minimum: -1 },
                level,
                message,
                partialFingerprints: { type: 'object', additionalProperties: { type: 'string' } },
                properties: propertyBag,
                locations: {
                  type: 'array',
                  minItems: 1,
                  items: {
                    type: 'object',
                    additionalProperties: false,
                    properties: {
                      physicalLocation: {
                        type: 'object',
                        additionalProperties: false,
                        required: ['artifactLocation'],
                        properties: {
                          artifactLocation: {
                            type: 'object',
                            additionalProperties: false,
                            required: ['uri'],
                            properties: {
                              uri: { type: 'string', format: 'uri-reference', pattern: '^[^/]' },
                              uriBaseId: { type: 'string' },
                              index: { type: 'integer', minimum: -1 },
                            },
                          },
                          region: {
                            type: 'object',
                            additionalProperties: false,
                            required: ['startLine'],
                            properties: {
                              startLine: { type: 'integer', minimum: 1 },
                              startColumn: { type: 'integer', minimum: 1 },
                              endLine: { type: 'integer', minimum: 1 },
                              endColumn: { type: 'integer', minimum: 1 },
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;
