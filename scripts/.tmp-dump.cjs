const fs=require('fs');const {Parser, Language} = require('web-tree-sitter');
(async()=>{
await Parser.init();
const lang = await Language.load(fs.readFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm')));
const p = new Parser(); p.setLanguage(lang);
const src = fs.readFileSync(0,'utf8');
const t = p.parse(src);
const c = t.walk();
function rec(d){ if(c.nodeIsNamed||c.currentFieldName) console.log(' '.repeat(d)+(c.nodeIsNamed?'':'~')+c.nodeType+(c.currentFieldName?' ['+c.currentFieldName+']':'')+(c.currentNode.childCount===0?' '+JSON.stringify(c.currentNode.text):'')); if(c.gotoFirstChild()){do rec(d+1); while(c.gotoNextSibling()); c.gotoParent();}}
rec(0);
})();
