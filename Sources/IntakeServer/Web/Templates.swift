/// The page templates (mustache), compiled into the binary so a deployment needs no template files.
/// Every page is plain HTML and CSS: no JavaScript, no external resource.
enum Templates {
    static let layout = """
    <!doctype html>
    <html lang="{{t.lang}}">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="referrer" content="no-referrer">
    <title>{{t.title}}</title>
    <link rel="stylesheet" href="/static/style.css">
    </head>
    <body>
    <header><h1>{{t.title}}</h1><p>{{t.subtitle}}</p>{{#showSwitch}}<nav><a href="{{t.switch_href}}" hreflang="{{#zh}}en{{/zh}}{{^zh}}zh-CN{{/zh}}">{{t.switch_label}}</a></nav>{{/showSwitch}}</header>
    <main>
    {{$body}}{{/body}}
    </main>
    <footer><p>{{t.footer}}</p></footer>
    </body>
    </html>
    """

    static let form = """
    {{<layout}}{{$body}}
    <p class="intro">{{t.intro}}</p>
    <p class="intro" id="privacy">{{t.privacy}}</p>
    <p><a href="/followup{{langQuery}}">{{t.followup_link}}</a></p>
    {{#hasErrors}}
    <section class="errors" role="alert" aria-labelledby="errors-title">
    <h2 id="errors-title">{{t.errors_title}}</h2>
    <ul>{{#errors}}<li><a href="#f-{{anchor}}">{{label}}</a>: {{message}}</li>{{/errors}}</ul>
    {{#reattach}}<p>{{t.reattach}}</p>{{/reattach}}
    </section>
    {{/hasErrors}}
    {{#generalError}}<section class="errors" role="alert"><p>{{generalError}}</p>{{#keptValues}}<p>{{t.kept_values}}</p>{{/keptValues}}{{#reattach}}<p>{{t.reattach}}</p>{{/reattach}}</section>{{/generalError}}
    <form method="post" action="/report{{langQuery}}" enctype="multipart/form-data" accept-charset="utf-8">
    <fieldset><legend>{{t.section_tip}}</legend>
    <label for="f-category">{{t.category}} *</label>
    <select id="f-category" name="category" required>
    {{#categories}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/categories}}
    </select>
    {{#fieldErrors.category}}<p class="field-error" id="e-category">{{fieldErrors.category}}</p>{{/fieldErrors.category}}
    <label for="f-district">{{t.district}} *</label>
    <select id="f-district" name="district" required>
    {{#districts}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/districts}}
    </select>
    {{#fieldErrors.district}}<p class="field-error" id="e-district">{{fieldErrors.district}}</p>{{/fieldErrors.district}}
    <label for="f-location">{{t.location}}</label>
    <input id="f-location" name="location" maxlength="500" value="{{values.location}}"{{#fieldErrors.location}} aria-invalid="true" aria-describedby="e-location"{{/fieldErrors.location}}>
    {{#fieldErrors.location}}<p class="field-error" id="e-location">{{fieldErrors.location}}</p>{{/fieldErrors.location}}
    <label for="f-occurred_at">{{t.occurred_at}}</label>
    <input id="f-occurred_at" name="occurred_at" maxlength="40" value="{{values.occurred_at}}" aria-describedby="h-occurred_at{{#fieldErrors.occurred_at}} e-occurred_at{{/fieldErrors.occurred_at}}"{{#fieldErrors.occurred_at}} aria-invalid="true"{{/fieldErrors.occurred_at}}>
    <p class="hint" id="h-occurred_at">{{t.occurred_at_hint}}</p>
    {{#fieldErrors.occurred_at}}<p class="field-error" id="e-occurred_at">{{fieldErrors.occurred_at}}</p>{{/fieldErrors.occurred_at}}
    <label for="f-description">{{t.description}} *</label>
    <textarea id="f-description" name="description" rows="8" maxlength="20000" required aria-describedby="h-description{{#fieldErrors.description}} e-description{{/fieldErrors.description}}"{{#fieldErrors.description}} aria-invalid="true"{{/fieldErrors.description}}>{{values.description}}</textarea>
    <p class="hint" id="h-description">{{t.description_hint}}</p>
    {{#fieldErrors.description}}<p class="field-error" id="e-description">{{fieldErrors.description}}</p>{{/fieldErrors.description}}
    <label for="f-evidence">{{t.evidence}}</label>
    <input id="f-evidence" name="evidence" type="file" accept="image/jpeg,image/png,image/webp" multiple>
    {{#fieldErrors.evidence}}<p class="field-error" id="e-evidence">{{fieldErrors.evidence}}</p>{{/fieldErrors.evidence}}
    {{#reattach}}<p class="field-error" id="reattach-evidence">{{t.reattach}}</p>{{/reattach}}
    </fieldset>
    <fieldset><legend>{{t.section_identity}}</legend>
    <p class="hint">{{t.identity_hint}}</p>
    {{#identityFields}}
    <label for="f-{{name}}">{{label}}</label>
    <input id="f-{{name}}" name="reporter_{{name}}" maxlength="200" value="{{value}}" autocomplete="off"{{#error}} aria-invalid="true" aria-describedby="e-{{name}}"{{/error}}>
    {{#error}}<p class="field-error" id="e-{{name}}">{{error}}</p>{{/error}}
    {{/identityFields}}
    <p><input id="f-wants_reward" name="wants_reward" type="checkbox" value="1"{{#values.wants_reward}} checked{{/values.wants_reward}}>
    <label class="inline" for="f-wants_reward">{{t.wants_reward}}</label></p>
    </fieldset>
    <p><button type="submit">{{t.submit}}</button></p>
    </form>
    {{/body}}{{/layout}}
    """

    static let receipt = """
    {{<layout}}{{$body}}
    <section class="done">
    <h2>{{t.done_title}}</h2>
    <dl>
    <dt>{{t.reference}}</dt><dd class="reference">{{reference}}</dd>
    <dt>{{t.received_at}}</dt><dd>{{receivedAt}}</dd>
    <dt>{{t.receipt}}</dt><dd class="receipt" id="receipt">{{receipt}}</dd>
    </dl>
    <p class="warning" role="alert">{{t.receipt_warning}}</p>
    <p id="receipt-holder">{{t.receipt_holder}}</p>
    <p id="privacy">{{t.privacy}}</p>
    <section class="proof" aria-labelledby="proof-title">
    <h3 id="proof-title">{{t.proof}}</h3>
    <p>{{t.proof_intro}}</p>
    <dl>
    <dt>{{t.reference}}</dt><dd class="mono">{{reference}}</dd>
    <dt>{{t.proof_time}}</dt><dd><span class="mono" id="proof-time">{{receivedAtChina}}</span><br><span class="hint" id="proof-time-utc">{{receivedAtUTC}}</span></dd>
    <dt>{{t.proof_hash}}</dt><dd class="mono" id="proof-hash">{{submissionHash}}</dd>
    <dt>{{t.proof_statement}}</dt><dd class="mono" id="proof-statement">{{statement}}</dd>
    <dt>{{t.proof_signature}}</dt><dd class="mono" id="proof-signature">{{proof}}</dd>
    <dt>{{t.proof_key}}</dt><dd class="mono"><a href="/server-key.pem" id="proof-key">/server-key.pem</a> ({{serverKeyID}})</dd>
    </dl>
    <details><summary>{{t.proof_how}}</summary>
    <p>{{t.proof_how_intro}}</p>
    <pre class="mono">printf '%s' '{{statement}}' &gt; statement.txt
    printf '%s' '{{proof}}' | base64 -d &gt; proof.sig
    openssl pkeyutl -verify -pubin -inkey server-key.pem -rawin -in statement.txt -sigfile proof.sig</pre>
    <p>{{t.proof_how_result}}</p>
    </details>
    </section>
    <p><a href="/followup{{langQuery}}">{{t.followup_title}}</a></p>
    </section>
    {{/body}}{{/layout}}
    """

    static let followup = """
    {{<layout}}{{$body}}
    <h2>{{t.followup_title}}</h2>
    {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
    {{#error}}<p class="errors" role="alert">{{error}}</p>{{/error}}
    {{^found}}
    <form method="post" action="/followup{{langQuery}}" accept-charset="utf-8">
    <label for="f-receipt">{{t.followup_intro}}</label>
    <input id="f-receipt" name="receipt" inputmode="numeric" autocomplete="off" maxlength="40" required>
    <p><button type="submit">{{t.followup_submit}}</button></p>
    </form>
    {{/found}}
    {{#found}}
    <dl>
    <dt>{{t.reference}}</dt><dd class="reference">{{reference}}</dd>
    {{#centreName}}<dt>{{t.centre}}</dt><dd class="centre"><span id="centre-name">{{centreName}}</span>{{#centreAddress}}<br><span class="address" id="centre-address">{{centreAddress}}</span>{{/centreAddress}}</dd>{{/centreName}}
    <dt>{{t.status}}</dt><dd><strong class="status">{{status}}</strong><br><span class="explanation" id="status-explanation">{{statusExplanation}}</span>
    {{#resolution}}<br><span id="resolution">{{t.resolution}}：<strong>{{resolution}}</strong>（{{resolutionExplanation}}）</span>{{/resolution}}</dd>
    {{#reward}}<dt>{{t.reward}}</dt><dd><span id="reward-state">{{reward}}</span>{{#rewardNote}}<br><span class="explanation" id="reward-note">{{rewardNote}}</span>{{/rewardNote}}</dd>{{/reward}}
    <dt>{{t.files}}</dt><dd id="files-count">{{filesText}}</dd>
    </dl>
    {{#voucherCode}}
    <section class="voucher" aria-labelledby="voucher-title">
    <h3 id="voucher-title">{{t.voucher_title}}</h3>
    <p class="receipt">{{voucherCode}}</p>
    <p>{{t.voucher_hint}} {{voucherExpires}}</p>
    </section>
    {{/voucherCode}}
    <h3>{{t.messages}}</h3>
    {{^messages}}<p>{{t.no_messages}}</p>{{/messages}}
    <ol class="thread">{{#messages}}<li class="{{author}}"><p class="meta">{{from}} · {{at}}</p><p class="text">{{text}}</p></li>{{/messages}}</ol>
    <form method="post" action="/followup{{langQuery}}" accept-charset="utf-8">
    <input type="hidden" name="receipt" value="{{receipt}}">
    <label for="f-message">{{t.message}}</label>
    <textarea id="f-message" name="message" rows="4" maxlength="5000" required></textarea>
    <p><button type="submit">{{t.send_message}}</button></p>
    </form>
    <section class="add-files" aria-labelledby="add-files-title">
    <h3 id="add-files-title">{{t.add_files_title}}</h3>
    {{#canAddFiles}}
    <form method="post" action="/followup/evidence{{langQuery}}" enctype="multipart/form-data" accept-charset="utf-8">
    <input type="hidden" name="receipt" value="{{receipt}}">
    <label for="f-add-evidence">{{t.add_files_label}}</label>
    <input id="f-add-evidence" name="evidence" type="file" accept="image/jpeg,image/png,image/webp" multiple required aria-describedby="h-add-evidence">
    <p class="hint" id="h-add-evidence">{{addFilesHint}}</p>
    <p><button type="submit">{{t.add_files_submit}}</button></p>
    </form>
    {{/canAddFiles}}
    {{^canAddFiles}}<p class="hint">{{t.files_full}}</p>{{/canAddFiles}}
    </section>
    {{/found}}
    <p><a href="/{{langQuery}}">{{t.home_link}}</a></p>
    {{/body}}{{/layout}}
    """

    static let informant = """
    {{<layout}}{{$body}}
    <h2>{{t.inf_title}}</h2>
    {{#notice}}<p class="notice" role="status" id="inf-notice">{{notice}}</p>{{/notice}}
    {{#error}}<p class="errors" role="alert" id="inf-error">{{error}}</p>{{/error}}
    {{^found}}
    <p class="intro">{{t.inf_intro}}</p>
    <form method="post" action="/informant{{langQuery}}" accept-charset="utf-8">
    <label for="f-code">{{t.inf_code}}</label>
    <input id="f-code" name="code" inputmode="numeric" autocomplete="off" maxlength="40" required>
    <p><button type="submit">{{t.inf_open}}</button></p>
    </form>
    {{/found}}
    {{#found}}
    <dl>
    <dt>{{t.inf_pseudonym}}</dt><dd class="reference" id="inf-pseudonym">{{pseudonym}}</dd>
    <dt>{{t.district}}</dt><dd>{{district}}</dd>
    </dl>
    <form method="post" action="/informant/report{{langQuery}}" enctype="multipart/form-data" accept-charset="utf-8">
    <fieldset><legend>{{t.inf_new}}</legend>
    <input type="hidden" name="code" value="{{code}}">
    <label for="f-kind">{{t.inf_kind}} *</label>
    <select id="f-kind" name="kind" required>{{#kinds}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/kinds}}</select>
    <label for="f-area">{{t.inf_area}} *</label>
    <select id="f-area" name="area" required>{{#areas}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/areas}}</select>
    <label for="f-occurred_at">{{t.occurred_at}}</label>
    <input id="f-occurred_at" name="occurred_at" maxlength="40" value="{{values.occurred_at}}" aria-describedby="h-occurred_at">
    <p class="hint" id="h-occurred_at">{{t.occurred_at_hint}}</p>
    <label for="f-text">{{t.inf_text}} *</label>
    <textarea id="f-text" name="text" rows="8" maxlength="5000" required aria-describedby="h-text">{{values.text}}</textarea>
    <p class="hint" id="h-text">{{t.inf_text_hint}}</p>
    <label for="f-evidence">{{t.evidence}}</label>
    <input id="f-evidence" name="evidence" type="file" accept="image/jpeg,image/png,image/webp" multiple>
    {{#reattach}}<p class="field-error" id="reattach-evidence">{{t.reattach}}</p>{{/reattach}}
    </fieldset>
    <p><button type="submit" id="inf-submit">{{t.inf_submit}}</button></p>
    </form>
    <h3>{{t.inf_mine}}</h3>
    {{^reports}}<p>{{t.inf_none}}</p>{{/reports}}
    <ol class="thread" id="inf-reports">{{#reports}}<li class="reporter"><p class="meta"><span class="reference">{{reference}}</span> · {{kind}} · {{at}} · <span class="inf-state">{{state}}</span></p>
    {{#replies}}<div class="centre inf-reply"><p class="meta">{{t.inf_from_handler}} · {{at}}</p><p class="text">{{text}}</p></div>{{/replies}}</li>{{/reports}}</ol>
    {{#has_vouchers}}<section class="voucher" aria-labelledby="inf-vouchers-title"><h3 id="inf-vouchers-title">{{t.inf_vouchers}}</h3>
    <p class="hint">{{t.inf_voucher_hint}}</p>
    <ul id="inf-vouchers">{{#vouchers}}<li><p class="meta"><span class="reference">{{report}}</span> · {{amount}} · {{t.inf_voucher_until}} {{until}}</p>
    <p class="receipt"><code class="voucher-code">{{code}}</code></p></li>{{/vouchers}}</ul></section>{{/has_vouchers}}
    {{/found}}
    <p><a href="/{{langQuery}}">{{t.home_link}}</a></p>
    {{/body}}{{/layout}}
    """

    static let stylesheet = """
    :root{color-scheme:light;--fg:#1b1b1b;--muted:#555;--accent:#a4161a;--bg:#fff;--line:#ccc}
    *{box-sizing:border-box}
    body{margin:0;font:16px/1.6 system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:var(--fg);background:var(--bg)}
    header,main,footer{max-width:44rem;margin:0 auto;padding:0 1rem}
    header{border-bottom:3px solid var(--accent);padding-top:1rem}
    header h1{font-size:1.4rem;margin:.2rem 0}
    header p{color:var(--muted);margin:.2rem 0}
    nav{text-align:right;padding-bottom:.5rem}
    fieldset{border:1px solid var(--line);border-radius:4px;margin:1rem 0;padding:.5rem 1rem 1rem}
    legend{font-weight:600;padding:0 .3rem}
    label{display:block;margin-top:.8rem;font-weight:500}
    label.inline{display:inline;font-weight:400}
    input,select,textarea{width:100%;font:inherit;padding:.5rem;border:1px solid #888;border-radius:3px}
    input[type=checkbox]{width:auto}
    input:focus,select:focus,textarea:focus,button:focus,a:focus{outline:3px solid #1d70b8;outline-offset:1px}
    button{font:inherit;font-weight:600;background:var(--accent);color:#fff;border:0;border-radius:3px;padding:.7rem 1.4rem;cursor:pointer}
    .hint{color:var(--muted);font-size:.9rem;margin:.2rem 0}
    .errors{border-left:5px solid var(--accent);padding:.3rem 1rem;background:#fdf0f0}
    .field-error{color:var(--accent);font-weight:600;margin:.2rem 0}
    [aria-invalid=true]{border:2px solid var(--accent)}
    .warning{border:2px solid var(--accent);padding:.7rem;font-weight:600}
    .receipt{font:700 clamp(1.05rem,5.2vw,1.6rem)/1.3 ui-monospace,monospace;letter-spacing:.05em;white-space:nowrap}
    .notice{border-left:5px solid #2e7d32;padding:.3rem 1rem;background:#eef7ee}
    .voucher{border:2px solid #2e7d32;padding:.5rem 1rem;margin:1rem 0}
    #inf-vouchers{list-style:none;padding:0;margin:0}
    .reference{font-family:ui-monospace,monospace}
    .mono{font-family:ui-monospace,monospace;word-break:break-all;font-size:.85rem}
    pre.mono{white-space:pre-wrap;background:#f5f5f5;padding:.5rem}
    .proof{border:1px solid var(--line);border-radius:4px;padding:.2rem 1rem;margin:1rem 0}
    dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}
    dt{font-weight:600}
    dd{margin:0}
    .thread{list-style:none;padding:0}
    .explanation{color:var(--muted)}
    .status{font-size:1.1rem}
    .thread li{border:1px solid var(--line);border-radius:4px;padding:.5rem .8rem;margin:.5rem 0}
    .thread li.centre{background:#f3f6fa}
    .thread .meta{color:var(--muted);font-size:.85rem;margin:0}
    .thread .text{white-space:pre-wrap;margin:.2rem 0 0}
    footer{color:var(--muted);font-size:.85rem;border-top:1px solid var(--line);margin-top:2rem}
    """
}
