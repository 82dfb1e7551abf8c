/** One aggregate's repository under test: two handles on the same storage, as two processes would have. */
export interface RepositoryHandles<Repository> {
  first: Repository;
  second: Repository;
  close(): Promise<void>;
}

/** Opens one aggregate's repository of a fresh, empty storage for each test. */
export type OpenRepository<Repository> = () => Promise<RepositoryHandles<Repository>>;

/** The handles of the test that runs: `store` and `peer` share one storage, as two processes would. */
export interface OpenedRepository<Repository> {
  store: Repository;
  peer: Repository;
}

/** A suite whose every test gets a fresh repository from `open`, closed after it. */
export function describeRepository<Repository>(
  title: string,
  open: OpenRepository<Repository>,
  tests: (opened: OpenedRepository<Repository>) => void,
): void {
  describe(title, () => {
    const opened = {} as OpenedRepository<Repository>;
    let close: () => Promise<void>;
    beforeEach(async () => {
      const handles = await open();
      opened.store = handles.first;
      opened.peer = handles.second;
      close = () => handles.close();
    });
    afterEach(() => close());
    tests(opened);
  });
}
