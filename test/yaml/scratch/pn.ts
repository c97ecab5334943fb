import { Type } from '@sinclair/typebox';
console.log(JSON.stringify(Type.Record(Type.String({ pattern: '^[a-z]+$' }), Type.Number())));
