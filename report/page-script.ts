/**
 * The one script of every report page (layout.ts inlines it; nothing else adds a script or an on…= attribute), so a
 * Content-Security-Policy can allow exactly this text by its hash. It only wires listeners:
 *
 * - printing opens the folded data tables;
 * - on a recording page with audio, clicking a sentence (or Enter / Space on it) plays from there, and opening the
 *   page at #seg-N (a coaching evidence link, a promise's 录音原话) plays from that moment. Browsers refuse to start
 *   sound without a click; when they do (a link opened in a new tab, a bookmark), a button offers to play from the
 *   moment, with the player already there.
 *
 * Plain ES5 without dependencies, so it runs from file:// in any browser a trainer has.
 */
export const PAGE_SCRIPT = `(function(){
window.addEventListener('beforeprint',function(){document.querySelectorAll('details').forEach(function(d){d.open=true;});});
var a=document.getElementById('player');if(!a)return;
var offer=document.getElementById('play-from');
var segs=[].slice.call(document.querySelectorAll('.seg[data-start]'));
function startOf(el){return el?parseFloat(el.getAttribute('data-start')):NaN;}
function play(el){var s=startOf(el);if(isNaN(s))return;
var go=function(){a.currentTime=s;var p=a.play();if(p&&p.catch)p.catch(function(){if(!offer)return;offer.hidden=false;offer.setAttribute('data-seg',el.id);var t=el.querySelector('.t');offer.textContent='▶ 从 '+(t?t.textContent:s+' 秒')+' 开始播放';});};
if(a.readyState>=1)go();else a.addEventListener('loadedmetadata',go,{once:true});}
function fromHash(){var h=location.hash&&document.getElementById(decodeURIComponent(location.hash.slice(1)));if(h&&h.hasAttribute('data-start'))play(h);}
document.addEventListener('click',function(e){
if(offer&&e.target===offer){offer.hidden=true;play(document.getElementById(offer.getAttribute('data-seg')));return;}
var el=e.target.closest&&e.target.closest('.seg[data-start]');if(!el)return;
if(offer)offer.hidden=true;history.replaceState(null,'','#'+el.id);play(el);});
document.addEventListener('keydown',function(e){if(e.key!=='Enter'&&e.key!==' ')return;var el=document.activeElement;if(el&&el.matches&&el.matches('.seg[data-start]')){e.preventDefault();play(el);}});
a.addEventListener('timeupdate',function(){var cur=null;for(var i=0;i<segs.length;i++){if(startOf(segs[i])<=a.currentTime+0.05)cur=segs[i];}
for(var j=0;j<segs.length;j++)segs[j].classList.toggle('now',segs[j]===cur&&!a.paused);});
window.addEventListener('hashchange',fromHash);
fromHash();})();`;
