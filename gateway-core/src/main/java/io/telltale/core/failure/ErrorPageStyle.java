package io.telltale.core.failure;

/**
 * The error pages' one inline style sheet: readable on a 360 px phone (everything wraps, tables stack into
 * cards) and on a desktop, with no external font, image or script.
 */
final class ErrorPageStyle {
    static final String CSS = String.join("",
            "*{box-sizing:border-box}",
            "body{font:16px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1f2328;background:#f4f4f1}",
            "main{max-width:52rem;margin:0 auto;padding:1.5rem 1rem 2rem;overflow-wrap:anywhere}",
            "h1{font-size:1.6rem;line-height:1.25;margin:.2rem 0 1rem}h2{font-size:1.15rem;margin:.2rem 0 .6rem}",
            "h3{font-size:1rem;margin:1.2rem 0 .5rem;color:#444}",
            ".code{color:#666;font-family:ui-monospace,monospace;font-size:.9rem;margin:0}",
            "section{background:#fff;border-radius:.6rem;padding:.8rem 1rem;margin:1rem 0;box-shadow:0 1px 2px #0001}",
            ".what{border-left:.35rem solid #b42318}.what p{font-size:1.1rem;margin:.2rem 0}",
            ".strip{display:flex;align-items:center;gap:.4rem;flex-wrap:wrap;margin:1rem 0}",
            ".hop{border:2px solid #999;border-radius:.5rem;padding:.3rem .8rem;background:#fff;text-align:center;max-width:100%}",
            ".hop.ok{border-color:#2a7d2a}.hop.failed{border-color:#b42318}.steps{display:flex;gap:.25rem;flex-wrap:wrap}",
            ".step{font:12px ui-monospace,monospace;padding:.2rem .4rem;border-radius:.3rem;background:#ddd}",
            ".step.ok{background:#cfe8cf}.step.failed{background:#f6c7c2;font-weight:bold}",
            ".step.skipped{background:#eee;color:#777}.step.not-reached{background:#eee;color:#999}",
            "code,pre{font-family:ui-monospace,'SF Mono',Menlo,Consolas,monospace;font-size:.88rem}",
            "code{background:#f0f0ee;padding:.05rem .3rem;border-radius:.25rem}",
            "pre.cmd{background:#1f2328;color:#f0f0f0;padding:.6rem .8rem;border-radius:.4rem;margin:.4rem 0;",
            "white-space:pre-wrap;overflow-wrap:anywhere;user-select:all;cursor:text}",
            "pre.cmd code{background:none;padding:0;color:inherit}",
            "ol.steps-to-fix{padding-left:1.4rem}ol.steps-to-fix li{margin:.5rem 0}",
            "dl.facts{display:grid;grid-template-columns:minmax(7rem,max-content) minmax(0,1fr);gap:.2rem .8rem;margin:.3rem 0}",
            "dl.facts dt{color:#666}dl.facts dd{margin:0;min-width:0}",
            "dl.inner{margin:0}dl.inner dt{display:inline;color:#666}dl.inner dt::after{content:': '}",
            "dl.inner dd{display:inline;margin:0}dl.inner dd::after{content:'';display:block}",
            "ol.chain{list-style:none;padding:0;margin:0;display:grid;gap:.6rem}",
            ".cert{border:1px solid #d0d0cc;border-radius:.5rem;padding:.6rem .8rem}",
            ".cert.failed{border:2px solid #b42318;background:#fff6f5}",
            ".cert-head{font-size:1.05rem}.role{font-size:.75rem;text-transform:uppercase;letter-spacing:.05em;",
            "background:#eee;border-radius:.3rem;padding:.05rem .4rem;color:#555}",
            ".verdict{color:#b42318;font-weight:600;margin:.3rem 0}",
            ".validity{position:relative;height:1.9rem;background:#eee;border-radius:.3rem;margin:.5rem 0 .2rem;overflow:hidden}",
            ".period{position:absolute;top:.35rem;height:.6rem;background:#2a7d2a;border-radius:.3rem}.period.out{background:#d9a29c}",
            ".now{position:absolute;top:0;bottom:0;width:2px;margin-left:-1px;background:#b42318}",
            ".now-label{position:absolute;bottom:0;white-space:nowrap;font-size:.7rem;line-height:1;padding:0 .2rem;color:#b42318}",
            ".now-label.end{transform:translateX(-100%)}",
            "ol.waterfall{list-style:none;padding:0;margin:0}",
            ".step-row{display:grid;grid-template-columns:8.5rem minmax(0,1fr) 11rem;gap:.5rem;align-items:center;padding:.15rem 0}",
            ".step-row .track{position:relative;height:1rem;background:#f0f0ee;border-radius:.2rem}",
            ".step-row .bar{position:absolute;top:0;bottom:0;background:#2a7d2a;border-radius:.2rem}",
            ".step-row.failed .bar{background:#b42318}.step-row.failed{color:#b42318;font-weight:600}",
            ".step-row.skipped,.step-row.not-reached{color:#888}.time{font-size:.85rem;text-align:right}",
            ".total{color:#666;font-size:.9rem}",
            "table.grid{border-collapse:collapse;width:100%;font-size:.9rem}",
            "table.grid th,table.grid td{text-align:left;padding:.25rem .4rem;border-bottom:1px solid #e4e4e0;vertical-align:top}",
            "table.grid tr.bad td{color:#b42318}",
            // Words may break only when they must, or an automatic table squeezes "page.test" into "page.t est".
            "table.grid td,table.grid th{overflow-wrap:break-word}",
            "table.aka{border-collapse:collapse}table.aka td{padding:.1rem .8rem .1rem 0;vertical-align:top}",
            "footer{color:#666;font-size:.9rem}",
            "@media (max-width:40rem){main{padding:1rem .6rem}",
            ".step-row{grid-template-columns:6.5rem minmax(0,1fr);}.step-row .time{grid-column:2;text-align:left}",
            "dl.facts{grid-template-columns:minmax(0,1fr)}dl.facts dd{margin-bottom:.3rem}",
            "table.grid thead{display:none}table.grid,table.grid tbody,table.grid tr,table.grid td{display:block;width:100%}",
            "table.grid tr{border-bottom:1px solid #d0d0cc;padding:.3rem 0}table.grid td{border:0;padding:.05rem 0}",
            "table.grid td::before{content:attr(data-label) ': ';color:#666}}");

    private ErrorPageStyle() {
    }
}
