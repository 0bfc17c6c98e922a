// A small text written for this project to train the tiny SentencePiece-style BPE on. It mixes
// prose, code-ish text, numbers and a little non-English so merges cover common shapes.
export const TRAINING_CORPUS = `
The studio keeps every dataset beside the names of the people who gave it. When a model answers,
the heatmap shows which records shaped each token, and the rewards follow the contributors.
A curator reviews the records, removes duplicates and spam, and publishes a new version.
Training runs on the local machine: the base model stays frozen while small adapters learn.
Adapters are saved in the same layout other tools read, so they travel between machines.
The playground keeps one base model in memory and swaps adapters for each request.
Numbers appear too: 1, 2, 3, 10, 42, 100, 2024, 3.14 and 1,000,000 tokens per second.
Questions? Answers! Lists; colons: and quotes "like these" or 'those'. It's done, isn't it?
function train(model, data) { return model.fit(data, { epochs: 3 }); }
Les données restent locales. Die Daten bleiben lokal. 数据保存在本地。 データはローカルです。
the the the and and of of to to in in that that is is for for on on with with as as
there their these those then than this thin thing think thinking thought through
`;
