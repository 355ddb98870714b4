/** The workbench stylesheet, served from `SMARTER_STATIC_URL` as `workbench.css` (no inline styles anywhere). */
export const WORKBENCH_CSS = `
:root{--bg:#f6f7fb;--panel:#fff;--text:#111827;--muted:#6b7280;--line:#e5e7eb;--accent:#4f46e5;--accent-2:#6366f1;
--accent-soft:#eef2ff;--green:#047857;--green-soft:#d1fae5;--red:#b91c1c;--red-soft:#fee2e2;--amber:#92400e;
--amber-soft:#fef3c7;--blue:#1d4ed8;--blue-soft:#dbeafe;--violet:#6d28d9;--violet-soft:#ede9fe;--radius:12px;
--shadow:0 1px 2px rgba(16,24,40,.05),0 1px 3px rgba(16,24,40,.08);
font-family:Inter,ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
font-size:15px;line-height:1.5;color:var(--text);background:var(--bg)}
*{box-sizing:border-box}
body{margin:0;min-height:100vh}
a{color:var(--accent);text-decoration:none}
a:hover{text-decoration:underline}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.86em}
code{background:#f3f4f6;border-radius:6px;padding:.1em .4em}
h1{font-size:1.6rem;margin:0 0 .2rem;letter-spacing:-.01em}
h2{font-size:1.05rem;margin:0 0 .8rem}
.muted{color:var(--muted)}
.small{font-size:.82rem}
.strong{font-weight:600}
.nowrap{white-space:nowrap}
.right{text-align:right}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
:focus-visible{outline:3px solid var(--accent-2);outline-offset:2px}

.app{display:grid;grid-template-columns:248px minmax(0,1fr);min-height:100vh}
.sidebar{display:flex;flex-direction:column;gap:1.5rem;padding:1.4rem 1rem;
background:#0f172a;color:#cbd5e1}
.brand{display:flex;align-items:center;gap:.6rem;color:#fff;font-weight:700;font-size:1.15rem;padding:0 .5rem}
.brand:hover{text-decoration:none}
.logo{color:#818cf8;display:inline-flex}
.sidebar nav{display:flex;flex-direction:column;gap:.2rem}
.nav-link{color:#cbd5e1;padding:.55rem .75rem;border-radius:8px;font-weight:500}
.nav-link:hover{background:#1e293b;color:#fff;text-decoration:none}
.nav-link.active{background:#312e81;color:#fff}
.account{margin-top:auto;display:grid;grid-template-columns:auto 1fr;gap:.2rem .7rem;align-items:center;
padding:.8rem;border-top:1px solid #1e293b}
.account form{grid-column:1/-1}
.avatar{width:34px;height:34px;border-radius:50%;background:#4338ca;color:#fff;display:grid;place-items:center;font-weight:700}
.account-text{display:flex;flex-direction:column;min-width:0}
.account-email{color:#fff;overflow:hidden;text-overflow:ellipsis;font-size:.9rem}
.account .btn-ghost{color:#cbd5e1;width:100%;justify-content:flex-start;padding-left:0}
.account .btn-ghost:hover{color:#fff;background:transparent}
.content{padding:2rem 2.5rem;max-width:1180px;width:100%}

.page-header{display:flex;justify-content:space-between;align-items:flex-start;gap:1rem;margin-bottom:1.5rem}
.page-actions{display:flex;align-items:center;gap:.6rem}
.breadcrumbs{font-size:.85rem;color:var(--muted);margin-bottom:.6rem;display:flex;gap:.4rem}
.nowrap code,code.host{white-space:nowrap}
.card{background:var(--panel);border:1px solid var(--line);border-radius:var(--radius);box-shadow:var(--shadow);padding:1.25rem}
.card-title{font-size:1rem}
.grid-2{display:grid;grid-template-columns:minmax(0,1.35fr) minmax(300px,1fr);gap:1.25rem;align-items:start}
.section{margin-bottom:1.25rem}
.table-wrap{overflow-x:auto;margin:0 -.25rem}
.form-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:1rem;align-items:end}
.form-grid .field-wide{grid-column:1/-1}
.checks{display:flex;flex-wrap:wrap;gap:.2rem 1.2rem}
.stack{display:flex;flex-direction:column;gap:1rem}
.narrow{max-width:520px}
.stats{display:grid;grid-template-columns:repeat(3,minmax(0,180px));gap:1rem;margin-bottom:1.25rem}
.stat{background:var(--panel);border:1px solid var(--line);border-radius:var(--radius);padding:.9rem 1.1rem;
display:flex;flex-direction:column;box-shadow:var(--shadow)}
.stat-value{font-size:1.6rem;font-weight:700}

.table{width:100%;border-collapse:collapse}
.table th{font-size:.75rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);text-align:left;
padding:.55rem .6rem;border-bottom:1px solid var(--line);font-weight:600}
.table td{padding:.75rem .6rem;line-height:1.4;border-bottom:1px solid var(--line);vertical-align:top}
.table tr:last-child td{border-bottom:0}
.cell-name{min-width:190px}
.table tr.inactive td{opacity:.6}
.badge{display:inline-block;font-size:.75rem;font-weight:600;border-radius:999px;padding:.15rem .6rem;margin:0 .25rem .2rem 0;white-space:nowrap}
.badge-green{background:var(--green-soft);color:var(--green)}
.badge-gray{background:#f3f4f6;color:#374151}
.badge-amber{background:var(--amber-soft);color:var(--amber)}
.badge-red{background:var(--red-soft);color:var(--red)}
.badge-blue{background:var(--blue-soft);color:var(--blue)}
.badge-violet{background:var(--violet-soft);color:var(--violet)}
.chip{display:inline-block;margin:0 .3rem .3rem 0}

.field{display:flex;flex-direction:column;gap:.35rem;border:0;padding:0;margin:0}
.field>span,.field legend{font-weight:600;font-size:.88rem}
.field legend{margin-bottom:.35rem}
.hint{font-weight:400!important;color:var(--muted);font-size:.8rem!important}
input,select{font:inherit;color:inherit;border:1px solid #d1d5db;border-radius:8px;padding:.55rem .7rem;background:#fff;width:100%}
input:focus,select:focus{border-color:var(--accent-2);outline:3px solid var(--accent-soft)}
.check{display:flex;gap:.55rem;align-items:center;font-size:.9rem;margin:.2rem 0}
.check input{width:auto}
.filters{display:flex;gap:1rem;align-items:flex-end;margin-bottom:1rem}
.filters .field{min-width:220px}

.btn{display:inline-flex;align-items:center;justify-content:center;gap:.45rem;font:inherit;font-weight:600;
border-radius:8px;border:1px solid transparent;padding:.55rem 1rem;cursor:pointer;text-decoration:none!important;white-space:nowrap}
.btn-sm{padding:.3rem .65rem;font-size:.85rem}
.btn-block{width:100%}
.btn-primary{background:var(--accent);color:#fff}
.btn-primary:hover{background:#4338ca}
.btn-secondary{background:#fff;color:var(--text);border-color:#d1d5db}
.btn-secondary:hover{background:#f9fafb}
.btn-ghost{background:transparent;color:var(--accent)}
.btn-ghost:hover{background:var(--accent-soft)}
.btn-danger{background:var(--red);color:#fff}
.btn-danger-ghost{background:transparent;color:var(--red);border-color:#fecaca}
.btn-danger-ghost:hover{background:var(--red-soft)}
.card.danger{border-color:#fecaca}

.flash{border-radius:10px;padding:.75rem 1rem;margin-bottom:1rem;font-weight:500}
.flash ul{margin:0;padding-left:1.1rem}
.flash-success{background:var(--green-soft);color:var(--green)}
.flash-error{background:var(--red-soft);color:var(--red)}
.flash-info{background:var(--blue-soft);color:var(--blue)}
.callout{background:linear-gradient(135deg,#eef2ff,#f5f3ff);border:1px solid #c7d2fe;border-radius:var(--radius);
padding:1.1rem 1.25rem;margin-bottom:1.25rem}
.callout h2{margin-bottom:.2rem}
.secret-row{display:flex;gap:.6rem;align-items:center;margin-top:.7rem}
.secret{flex:1;background:#fff;border:1px dashed #a5b4fc;padding:.55rem .75rem;overflow-wrap:anywhere;font-size:.9rem}
.empty{text-align:center;padding:2rem 1rem}
.empty-title{font-weight:600;margin:0 0 .2rem}
.details{display:grid;grid-template-columns:120px 1fr;gap:.55rem .8rem;margin:0}
.details dt{color:var(--muted);font-size:.88rem}
.details dd{margin:0;overflow-wrap:anywhere}
.code{background:#0f172a;color:#e2e8f0;border-radius:10px;padding:.9rem 1rem;overflow:auto;margin:0 0 .6rem}
.code code{background:none;padding:0;color:inherit}
.pager{display:flex;justify-content:flex-end;margin-top:.8rem}

.chat-card{display:flex;flex-direction:column;min-height:460px}
.chat-log{flex:1;display:flex;flex-direction:column;gap:.6rem;overflow-y:auto;padding:.5rem 0 1rem;max-height:520px}
.bubble{max-width:80%;padding:.6rem .85rem;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere}
.bubble-agent{background:#f3f4f6;align-self:flex-start;border-bottom-left-radius:4px}
.bubble-user{background:var(--accent);color:#fff;align-self:flex-end;border-bottom-right-radius:4px}
.bubble-error{background:var(--red-soft);color:var(--red);align-self:flex-start}
.chat-form{display:flex;gap:.6rem;border-top:1px solid var(--line);padding-top:1rem}

.auth{background:radial-gradient(1200px 600px at 10% -10%,#e0e7ff 0,transparent 60%),
radial-gradient(900px 500px at 110% 110%,#ede9fe 0,transparent 55%),var(--bg)}
.auth-main{min-height:100vh;display:flex;flex-direction:column;align-items:center;justify-content:center;padding:2rem}
.auth-card{width:100%;max-width:400px;background:#fff;border:1px solid var(--line);border-radius:16px;
box-shadow:0 10px 30px rgba(17,24,39,.08);padding:2rem}
.auth-card h1{margin-top:1.2rem}
.auth-card form{margin-top:1.2rem}
.auth-brand{display:flex;align-items:center;gap:.5rem;font-weight:700;font-size:1.1rem}
.logo-mark{color:var(--accent);font-size:1.3rem}
.divider{display:flex;align-items:center;gap:.75rem;color:var(--muted);font-size:.82rem;margin:1.3rem 0}
.divider::before,.divider::after{content:"";flex:1;height:1px;background:var(--line)}
.oauth{display:grid;gap:.6rem}
.btn-oauth{background:#fff;border-color:#d1d5db;color:var(--text);justify-content:flex-start}
.btn-oauth:hover{background:#f9fafb}
.oauth-icon{width:1.6rem;height:1.6rem;border-radius:6px;display:grid;place-items:center;font-size:.75rem;font-weight:800;color:#fff}
.btn-google .oauth-icon{background:#ea4335}
.btn-github .oauth-icon{background:#111827}
.btn-linkedin .oauth-icon{background:#0a66c2}
.auth-foot{margin-top:1.2rem}

@media (max-width:900px){.app{grid-template-columns:minmax(0,1fr)}.sidebar{flex-direction:row;flex-wrap:wrap;
align-items:center;gap:.6rem 1rem;padding:.8rem 1rem}.sidebar nav{flex-direction:row;flex-wrap:wrap}
.account{margin:0 0 0 auto;border:0;padding:0;display:flex}.account-text,.avatar{display:none}
.account .btn-ghost{width:auto;padding:.3rem .6rem}.grid-2{grid-template-columns:minmax(0,1fr)}
.content{padding:1.25rem}.stats{grid-template-columns:repeat(3,minmax(0,1fr))}.page-header{flex-wrap:wrap}
.filters{flex-wrap:wrap}.filters .field{min-width:0;flex:1 1 160px}.details{grid-template-columns:100px minmax(0,1fr)}}
@media (prefers-reduced-motion:reduce){*{transition:none!important}}
`;
