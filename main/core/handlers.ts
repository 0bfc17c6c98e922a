import type { z } from 'zod';
import type { MethodName, MethodResult, Methods } from '../api/contract';

/** One function per API method, taking already-validated params. */
export type Handlers = {
  [M in MethodName]: (params: z.output<Methods[M]['params']>) => MethodResult<M> | Promise<MethodResult<M>>;
};
