/** Why dynotty cannot list a real fleet, said so the user can fix it. */
export interface StartProblem {
  /** One line: "The heroku CLI is not installed" / "You are not logged in to Heroku". */
  title: string;
  /** What was looked at and found wanting. */
  details: string[];
  /** What to do about it. */
  fixes: string[];
}
