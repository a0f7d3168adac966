import { parseDiffPath, parseUnifiedDiff, touchesChangedLines } from './changed-lines';

const DIFF = `diff --git a/src/a.ts b/src/a.ts
index 1111111..2222222 100644
--- a/src/a.ts
+++ b/src/a.ts
@@ -3 +3 @@ export function a() {
-  return 1;
+  return 2;
@@ -10,0 +11,3 @@ export function b() {
+line 11
+line 12
+line 13
@@ -20,2 +22,0 @@
-gone
-gone too
diff --git a/src/new.ts b/src/new.ts
new file mode 100644
index 0000000..3333333
--- /dev/null
+++ b/src/new.ts
@@ -0,0 +1,2 @@
+export const x = 1;
+export const y = 2;
diff --git a/src/deleted.ts b/src/deleted.ts
deleted file mode 100644
--- a/src/deleted.ts
+++ /dev/null
@@ -1 +0,0 @@
-export {};
diff --git a/only-removals.ts b/only-removals.ts
--- a/only-removals.ts
+++ b/only-removals.ts
@@ -5 +4,0 @@
-x
diff --git "a/caf\\303\\251 \\"q\\".ts" "b/caf\\303\\251 \\"q\\".ts"
--- "a/caf\\303\\251 \\"q\\".ts"
+++ "b/caf\\303\\251 \\"q\\".ts"
@@ -1 +1 @@
-a
+b
\\ No newline at end of file
`;

test('git diff --unified=0: added and changed lines on the new side, per new path', () => {
  const changed = parseUnifiedDiff(DIFF);
  expect(Object.fromEntries(changed)).toEqual({
    'src/a.ts': [
      { start: 3, end: 3 },
      { start: 11, end: 13 },
    ],
    'src/new.ts': [{ start: 1, end: 2 }],
    'only-removals.ts': [],
    'café "q".ts': [{ start: 1, end: 1 }],
  });
});

test('a diff with context lines (the REST API patch format) gives the same ranges', () => {
  const withContext = `--- a/f.ts
+++ b/f.ts
@@ -1,6 +1,7 @@
 one
 two
-three
+THREE
+three and a half
 four
 five
 six
`;
  expect(parseUnifiedDiff(withContext).get('f.ts')).toEqual([{ start: 3, end: 4 }]);
});

test('touchesChangedLines checks overlap with a line span', () => {
  const changed = parseUnifiedDiff(DIFF);
  expect(touchesChangedLines(changed, 'src/a.ts', 3)).toBe(true);
  expect(touchesChangedLines(changed, 'src/a.ts', 4)).toBe(false);
  expect(touchesChangedLines(changed, 'src/a.ts', 8, 11)).toBe(true);
  expect(touchesChangedLines(changed, 'src/a.ts', 14, 30)).toBe(false);
  expect(touchesChangedLines(changed, 'src/other.ts', 1)).toBe(false);
});

test('paths: prefixes stripped, /dev/null dropped, trailing tab metadata ignored', () => {
  expect(parseDiffPath('b/x/y.ts')).toBe('x/y.ts');
  expect(parseDiffPath('/dev/null')).toBeUndefined();
  expect(parseDiffPath('b/z.ts\t2024-01-01')).toBe('z.ts');
  expect(parseDiffPath('"b/tab\\there.ts"')).toBe('tab\there.ts');
});

test('an empty diff changes nothing', () => {
  expect(parseUnifiedDiff('').size).toBe(0);
});
