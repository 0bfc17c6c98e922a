// The demo datanet's contributors: each president whose State of the Union addresses it holds
// is one demo contributor (main/chain/keys/demoContributorKeys.ts), so rewards and attribution in
// the demo point at a person a presenter can name. The index is fixed here, in order of each
// president's first address from 1945 on, and never reused: a demo workspace made by an older
// build keeps the same president behind the same address. The key is the name part of the
// package's file names (`YEAR_<slug>_<party>.json`).
export const SOTU_PRESIDENTS: readonly { slug: string; name: string; contributorIndex: number }[] = [
  { slug: 'franklin_d_roosevelt', name: 'Franklin D. Roosevelt', contributorIndex: 0 },
  { slug: 'harry_s_truman', name: 'Harry S. Truman', contributorIndex: 1 },
  { slug: 'dwight_d_eisenhower', name: 'Dwight D. Eisenhower', contributorIndex: 2 },
  { slug: 'john_f_kennedy', name: 'John F. Kennedy', contributorIndex: 3 },
  { slug: 'lyndon_b_johnson', name: 'Lyndon B. Johnson', contributorIndex: 4 },
  { slug: 'richard_nixon', name: 'Richard Nixon', contributorIndex: 5 },
  { slug: 'gerald_r_ford', name: 'Gerald R. Ford', contributorIndex: 6 },
  { slug: 'jimmy_carter', name: 'Jimmy Carter', contributorIndex: 7 },
  { slug: 'ronald_reagan', name: 'Ronald Reagan', contributorIndex: 8 },
  { slug: 'george_bush', name: 'George H. W. Bush', contributorIndex: 9 },
  { slug: 'william_j_clinton', name: 'William J. Clinton', contributorIndex: 10 },
  { slug: 'george_w_bush', name: 'George W. Bush', contributorIndex: 11 },
  { slug: 'barack_obama', name: 'Barack Obama', contributorIndex: 12 },
  { slug: 'donald_j_trump', name: 'Donald J. Trump', contributorIndex: 13 },
  { slug: 'joseph_r_biden', name: 'Joseph R. Biden', contributorIndex: 14 },
];

export function sotuPresident(slug: string): { slug: string; name: string; contributorIndex: number } {
  const p = SOTU_PRESIDENTS.find((x) => x.slug === slug);
  // A package update that adds an address by someone new must extend the table on purpose.
  if (!p) throw new Error(`demo datanet: no contributor is assigned to the State of the Union author "${slug}" (add it to main/datanets/demo/sotuPresidents.ts)`);
  return p;
}
