import ts from 'typescript';

/**
 * typescript.js exports every member through a getter, so `ts.SyntaxKind.IfStatement` in a
 * walker's switch calls a function per case per node: about 3% of a cold full run. These are
 * plain bindings, read once at load; hot walkers take `SyntaxKind` and `forEachChild` from here.
 */
export const SyntaxKind = ts.SyntaxKind;
export const forEachChild = ts.forEachChild;
