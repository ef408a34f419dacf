// The setup's `tools`: which kinds a Live model takes, the rules for function
// declarations, and the behaviour each declared function's calls get.
import { z } from 'zod';
import type { FunctionBehavior, ModelCapabilities } from './models';
import { invalidArgument } from './protocol-error';

export interface DeclaredTools {
  /** Each declared function's name and how its calls behave on this model. */
  functions: ReadonlyMap<string, FunctionBehavior>;
  googleSearch: boolean;
}

const functionDeclaration = z.strictObject({
  name: z.string().optional(),
  description: z.string().optional(),
  parameters: z.unknown().optional(),
  parametersJsonSchema: z.unknown().optional(),
  response: z.unknown().optional(),
  responseJsonSchema: z.unknown().optional(),
  behavior: z.enum(['UNSPECIFIED', 'BEHAVIOR_UNSPECIFIED', 'BLOCKING', 'NON_BLOCKING']).optional(),
});

/** The Tool message of the Gemini API: every kind it knows, though Live models take only two. */
export const toolSchema = z.strictObject({
  functionDeclarations: z.array(functionDeclaration).optional(),
  googleSearch: z.looseObject({}).optional(),
  googleSearchRetrieval: z.looseObject({}).optional(),
  codeExecution: z.looseObject({}).optional(),
  urlContext: z.looseObject({}).optional(),
  googleMaps: z.looseObject({}).optional(),
  computerUse: z.looseObject({}).optional(),
  fileSearch: z.looseObject({}).optional(),
  mcpServers: z.array(z.looseObject({})).optional(),
});

type Tool = z.infer<typeof toolSchema>;
type Declaration = z.infer<typeof functionDeclaration>;

const LIVE_TOOL_KINDS = new Set(['functionDeclarations', 'googleSearch']);
const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,127}$/;

export function declaredTools(tools: readonly Tool[], model: ModelCapabilities): DeclaredTools {
  const kinds = tools.flatMap((tool) => Object.keys(tool));
  // Code execution, URL context, Maps and the rest exist in the Tool message but not on Live models.
  if (kinds.some((kind) => !LIVE_TOOL_KINDS.has(kind))) throw invalidArgument();
  const googleSearch = kinds.includes('googleSearch');
  if (googleSearch && !model.googleSearch) throw invalidArgument();
  const functions = declaredFunctions(tools, model);
  if (googleSearch && functions.size > 0 && !model.searchWithFunctions) throw invalidArgument();
  return { functions, googleSearch };
}

function declaredFunctions(tools: readonly Tool[], model: ModelCapabilities): Map<string, FunctionBehavior> {
  const functions = new Map<string, FunctionBehavior>();
  tools.forEach((tool, t) =>
    tool.functionDeclarations?.forEach((declaration, d) => {
      const at = `setup.tools[${t}].function_declarations[${d}]`;
      const name = checkedName(declaration, at);
      if (functions.has(name)) throw invalidArgument(`Duplicate function declaration name "${name}" at '${at}'.`);
      functions.set(name, behaviorOf(declaration, model));
    }),
  );
  return functions;
}

function checkedName(declaration: Declaration, at: string): string {
  const name = declaration.name ?? '';
  if (!FUNCTION_NAME.test(name)) {
    throw invalidArgument(`Invalid function name at '${at}': start with a letter or _, then a-zA-Z0-9_.:-, max 128.`);
  }
  if (declaration.parameters !== undefined && declaration.parametersJsonSchema !== undefined) {
    throw invalidArgument(`'${at}' sets both parameters and parameters_json_schema; set one.`);
  }
  return name;
}

function behaviorOf(declaration: Declaration, model: ModelCapabilities): FunctionBehavior {
  const asked =
    declaration.behavior === 'BLOCKING' || declaration.behavior === 'NON_BLOCKING' ? declaration.behavior : undefined;
  switch (model.functionCalls) {
    case 'none':
      throw invalidArgument();
    // Synchronous-only models accept `behavior` and ignore it.
    case 'blocking':
      return 'BLOCKING';
    case 'nonBlocking':
      if (asked === 'BLOCKING') throw invalidArgument();
      return 'NON_BLOCKING';
    case 'both':
      return asked ?? model.defaultFunctionBehavior;
  }
}
