//! The Pearson matrix as a heat-map table: blue for positive, red for negative, stronger the
//! closer to ±1. The number stays in each cell, so colour is never the only cue.

use engine::profile::Correlations;
use leptos::prelude::*;

#[component]
pub fn CorrelationTable(correlations: Correlations) -> impl IntoView {
    let names = correlations.columns.clone();
    let rows = correlations.pearson.clone();
    view! {
        <div class="scroll">
            <table class="heatmap">
                <caption class="visually-hidden">"Pearson correlation between numeric columns"</caption>
                <thead>
                    <tr>
                        <td></td>
                        {names.iter().map(|n| view! { <th scope="col" title=n.clone()>{n.clone()}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {names.iter().cloned().zip(rows).map(|(name, row)| view! {
                        <tr>
                            <th scope="row" title=name.clone()>{name.clone()}</th>
                            {row.into_iter().map(|r| match r {
                                Some(r) => view! {
                                    <td style=cell_style(r)>{format!("{r:.2}")}</td>
                                }.into_any(),
                                None => view! { <td class="none" title="not enough values">"–"</td> }.into_any(),
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Background of a cell: alpha grows with |r|; dark text switches to white when the fill is
/// strong enough to need it for contrast.
fn cell_style(r: f64) -> String {
    let strength = r.abs().clamp(0.0, 1.0);
    let (red, green, blue) = if r >= 0.0 {
        (31, 95, 158)
    } else {
        (179, 38, 30)
    };
    let text = if strength > 0.55 { "#fff" } else { "inherit" };
    format!(
        "background: rgb({red} {green} {blue} / {:.2}); color: {text}",
        strength * 0.9
    )
}
