import { z } from 'zod';

export const schemaVersion = z.number().int().min(1);
export const producerSchema = z.object({ name: z.string(), version: z.string() });
export const idSchema = z.string().regex(/^[a-zA-Z0-9_-]+$/);
export const shardIdSchema = z.string().regex(/^[a-f0-9]{2}$/);
export const objectRefSchema = z.string().regex(/^sha256:[a-f0-9]{64}$/);
export const isoDateTime = z.string().datetime({ offset: true });
