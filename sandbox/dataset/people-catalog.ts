/**
 * Word lists for life-sciences companies and the people who work there. Invented names only:
 * any resemblance to a real company is accidental, which is why domains are built from
 * two-part names rather than borrowed.
 */
import type { Weighted } from './random';

export type OrganizationType =
  | 'biotech' | 'pharma' | 'cro' | 'cdmo' | 'academic' | 'hospital' | 'diagnostics' | 'distributor' | 'medtech' | 'other';
export type JobFunction =
  | 'rnd' | 'qa_qc' | 'regulatory' | 'manufacturing' | 'process_development' | 'procurement'
  | 'lab_operations' | 'bioinformatics' | 'clinical_operations' | 'other';
export type ServiceLine = 'cdmo_services' | 'genomics_platform' | 'medical_devices';

export const ORGANIZATION_TYPES: readonly Weighted<OrganizationType>[] = [
  ['biotech', 24], ['pharma', 11], ['cro', 10], ['cdmo', 9], ['academic', 14], ['hospital', 8],
  ['diagnostics', 8], ['distributor', 5], ['medtech', 9], ['other', 2],
];

/** Company-name endings per organisation type; the first word comes from NAME_STEMS. */
export const NAME_ENDINGS: Record<OrganizationType, readonly string[]> = {
  biotech: ['Therapeutics', 'Bio', 'Biosciences', 'Biotherapeutics', 'Cell Therapies', 'Genomics'],
  pharma: ['Pharma', 'Pharmaceuticals', 'Life Sciences', 'Biopharma'],
  cro: ['Clinical Research', 'CRO', 'Clinical Services', 'Research Partners'],
  cdmo: ['Biologics CDMO', 'Manufacturing Services', 'BioManufacturing', 'Contract Development'],
  academic: ['Institute for Molecular Medicine', 'University', 'Research Institute', 'Centre for Genomic Science'],
  hospital: ['General Hospital', 'Medical Center', 'University Hospital', 'Health System'],
  diagnostics: ['Diagnostics', 'Dx', 'Molecular Diagnostics', 'Labs'],
  distributor: ['Scientific Supply', 'Lab Distribution', 'Life Science Supplies'],
  medtech: ['Medical Devices', 'MedTech', 'Surgical', 'Medical Systems'],
  other: ['Consulting', 'Partners', 'Analytics', 'Ventures'],
};

export const NAME_STEMS = [
  'Aurora', 'Helixa', 'Veridian', 'Nordvik', 'Cascadia', 'Pinnacor', 'Genovata', 'Lumira', 'Arcturion', 'Bionexa',
  'Celltrex', 'Quantera', 'Solvane', 'Meridia', 'Altavis', 'Corvexa', 'Zephyra', 'Kestrel', 'Obsidia', 'Trilliant',
  'Vantora', 'Elysion', 'Halcyra', 'Novacell', 'Orbital', 'Praxina', 'Rhenova', 'Sequira', 'Thalora', 'Umbrion',
  'Valora', 'Westbrook', 'Xenara', 'Yellowfin', 'Zentrix', 'Amberline', 'Bluecrest', 'Crestova', 'Dunmore', 'Everleaf',
  'Fjordia', 'Greystone', 'Highmoor', 'Ironbark', 'Juniper', 'Kinvara', 'Larchmont', 'Moravia', 'Northgate', 'Oakhaven',
];

/** Competitors of the service vendor: contacts from these domains are hard disqualifiers. */
export const COMPETITORS: readonly { company: string; domain: string }[] = [
  // The domains the default MQL definition (mappings/mql-definition.yaml) excludes.
  { company: 'Cellforge Biologics', domain: 'cellforge-bio.com' },
  { company: 'Genovia Sequencing', domain: 'genovia-sequencing.com' },
  { company: 'Medisynth Devices', domain: 'medisynth-devices.com' },
];

export const FREE_MAIL_DOMAINS = [
  'gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com', 'gmx.de', 'web.de', 'qq.com', '163.com', 'proton.me',
];

export interface Country {
  name: string;
  iso2: string;
  tld: string;
  academicTld: string;
}
export const COUNTRIES: readonly Weighted<Country>[] = [
  [{ name: 'United States', iso2: 'US', tld: 'com', academicTld: 'edu' }, 40],
  [{ name: 'Germany', iso2: 'DE', tld: 'de', academicTld: 'de' }, 8],
  [{ name: 'United Kingdom', iso2: 'GB', tld: 'co.uk', academicTld: 'ac.uk' }, 8],
  [{ name: 'Switzerland', iso2: 'CH', tld: 'ch', academicTld: 'ch' }, 4],
  [{ name: 'France', iso2: 'FR', tld: 'fr', academicTld: 'fr' }, 5],
  [{ name: 'Ireland', iso2: 'IE', tld: 'ie', academicTld: 'ie' }, 3],
  [{ name: 'Netherlands', iso2: 'NL', tld: 'nl', academicTld: 'nl' }, 3],
  [{ name: 'Denmark', iso2: 'DK', tld: 'dk', academicTld: 'dk' }, 2],
  [{ name: 'Sweden', iso2: 'SE', tld: 'se', academicTld: 'se' }, 2],
  [{ name: 'Belgium', iso2: 'BE', tld: 'be', academicTld: 'be' }, 3],
  [{ name: 'Japan', iso2: 'JP', tld: 'co.jp', academicTld: 'ac.jp' }, 4],
  [{ name: 'China', iso2: 'CN', tld: 'cn', academicTld: 'edu.cn' }, 4],
  [{ name: 'South Korea', iso2: 'KR', tld: 'co.kr', academicTld: 'ac.kr' }, 2],
  [{ name: 'India', iso2: 'IN', tld: 'in', academicTld: 'ac.in' }, 4],
  [{ name: 'Singapore', iso2: 'SG', tld: 'sg', academicTld: 'edu.sg' }, 2],
  [{ name: 'Canada', iso2: 'CA', tld: 'ca', academicTld: 'ca' }, 3],
  [{ name: 'Spain', iso2: 'ES', tld: 'es', academicTld: 'es' }, 2],
  [{ name: 'Italy', iso2: 'IT', tld: 'it', academicTld: 'it' }, 3],
];

/** Given names, unicode included on purpose (the connector must not mangle them). */
export const FIRST_NAMES = [
  'Anna', 'James', 'Maria', 'David', 'Sarah', 'Michael', 'Laura', 'Daniel', 'Emily', 'Thomas', 'Julia', 'Robert',
  'Priya', 'Wei', 'Hiroshi', 'Min-jun', 'Fatima', 'Olivia', 'Lucas', 'Sofia', 'Matteo', 'Chloé', 'José', 'Zoë',
  'Jürgen', 'Søren', 'François', 'Łukasz', 'Małgorzata', 'Siobhán', 'Ngọc', 'Björn', 'Ines', 'Raj', 'Aisha',
  'Kenji', 'Elena', 'Mark', 'Rachel', 'Ahmed', 'Claire', 'Stefan', 'Yuki', 'Camille', 'Nikolai', 'Ana', 'Pedro',
];
export const LAST_NAMES = [
  'Smith', 'Johnson', 'Müller', 'García', 'Sørensen', 'Nowak', "O'Brien", 'Ó Súilleabháin', 'Dąbrowski', 'Çelik',
  'Nguyen', 'Patel', 'Chen', 'Wang', 'Tanaka', 'Kim', 'Rossi', 'Dubois', 'Fernández', 'Jansen', 'Schmidt', 'Brown',
  'Williams', 'Taylor', 'Martin', 'Lefèvre', 'Kowalski', 'Andersson', 'Nakamura', 'Singh', 'Okafor', 'Haddad',
  'Murphy', 'Becker', 'Moreau', 'van der Berg', 'Lindqvist', 'Yamamoto', 'Park', 'Costa', 'Ivanova', 'Weiß',
];

/** A role: what HubSpot's `jobtitle` says, the function it maps to, and its seniority. */
export interface Role {
  title: string;
  jobFunction: JobFunction;
  /** 0 individual contributor, 1 manager, 2 director and above. */
  seniority: 0 | 1 | 2;
}
const role = (title: string, jobFunction: JobFunction, seniority: 0 | 1 | 2): Role => ({ title, jobFunction, seniority });

export const ROLES: readonly Weighted<Role>[] = [
  [role('Research Scientist', 'rnd', 0), 8], [role('Senior Scientist, R&D', 'rnd', 0), 6],
  [role('Principal Scientist', 'rnd', 1), 3], [role('Head of R&D', 'rnd', 2), 2], [role('Chief Scientific Officer', 'rnd', 2), 1],
  [role('QA Manager', 'qa_qc', 1), 4], [role('QC Manager', 'qa_qc', 1), 3], [role('QA Specialist', 'qa_qc', 0), 3],
  [role('Head of Quality', 'qa_qc', 2), 2], [role('Regulatory Affairs Manager', 'regulatory', 1), 3],
  [role('Director, Regulatory Affairs', 'regulatory', 2), 2], [role('Regulatory Affairs Associate', 'regulatory', 0), 2],
  [role('Director of Manufacturing', 'manufacturing', 2), 2], [role('Manufacturing Engineer', 'manufacturing', 0), 3],
  [role('VP Manufacturing Operations', 'manufacturing', 2), 1], [role('Head of Process Development', 'process_development', 2), 2],
  [role('Process Development Scientist', 'process_development', 0), 4], [role('Procurement Manager', 'procurement', 1), 3],
  [role('Purchasing Assistant', 'procurement', 0), 2], [role('Strategic Sourcing Lead', 'procurement', 1), 1],
  [role('Lab Technician', 'lab_operations', 0), 6], [role('Laboratory Manager', 'lab_operations', 1), 3],
  [role('Lab Operations Manager', 'lab_operations', 1), 2], [role('Bioinformatician', 'bioinformatics', 0), 3],
  [role('Head of Bioinformatics', 'bioinformatics', 2), 1], [role('Computational Biologist', 'bioinformatics', 0), 2],
  [role('Clinical Operations Manager', 'clinical_operations', 1), 3], [role('Clinical Trial Manager', 'clinical_operations', 1), 2],
  [role('Chief Executive Officer', 'other', 2), 1], [role('Marketing Manager', 'other', 1), 1], [role('Consultant', 'other', 0), 1],
];

export const STUDENT_TITLES = ['PhD Student', 'MSc Student', 'Graduate Student', 'Undergraduate Researcher'];

/** HubSpot's `numemployees` options with the organisation sizes each type tends to have. */
export const EMPLOYEE_BANDS = ['1-5', '5-25', '25-50', '50-100', '100-500', '500-1000', '1000+'] as const;
export const BAND_WEIGHTS: Record<OrganizationType, readonly number[]> = {
  biotech: [2, 10, 14, 16, 14, 5, 3],
  pharma: [0, 1, 2, 4, 10, 12, 20],
  cro: [0, 3, 6, 8, 12, 8, 6],
  cdmo: [0, 1, 3, 6, 12, 10, 8],
  academic: [0, 2, 4, 6, 10, 8, 14],
  hospital: [0, 0, 1, 2, 8, 10, 16],
  diagnostics: [1, 5, 8, 10, 10, 5, 4],
  distributor: [2, 8, 10, 8, 6, 2, 1],
  medtech: [1, 5, 8, 10, 12, 6, 6],
  other: [6, 8, 4, 3, 2, 1, 1],
};

/** The offer an organisation type usually shows interest in (the rest: none declared). */
export const SERVICE_INTEREST: Record<OrganizationType, readonly Weighted<ServiceLine | null>[]> = {
  biotech: [['cdmo_services', 35], ['genomics_platform', 25], [null, 40]],
  pharma: [['cdmo_services', 45], ['genomics_platform', 10], ['medical_devices', 5], [null, 40]],
  cro: [['genomics_platform', 30], ['cdmo_services', 20], [null, 50]],
  cdmo: [['cdmo_services', 40], [null, 60]],
  academic: [['genomics_platform', 45], [null, 55]],
  hospital: [['medical_devices', 50], ['genomics_platform', 10], [null, 40]],
  diagnostics: [['genomics_platform', 45], ['medical_devices', 15], [null, 40]],
  distributor: [['medical_devices', 20], ['genomics_platform', 15], [null, 65]],
  medtech: [['medical_devices', 55], [null, 45]],
  other: [[null, 1]],
};
